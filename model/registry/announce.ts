import type { ModelEvent } from '../../streams/models/model-event.ts';
import { readMeta } from './artifact.ts';
import { statusEvent } from './model-events.ts';
import type { Registry } from './registry.ts';

export interface ChampionChange {
  /** The version that is champion now. */
  champion: string;
  /** The version it replaced (now retired), if any. */
  previous: string | null;
  event: 'promoted' | 'rolled-back';
  reason: string;
  decidedBy: string;
  at: Date;
}

/**
 * The events a change of champion publishes on models.v1: the replaced version as retired first,
 * then the new champion (which the publisher also writes under the `champion` key), so a reader
 * folding by version never sees two champions once it has read both.
 */
export async function championChangeEvents(registry: Registry, c: ChampionChange): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  if (c.previous) {
    const old = await readMeta(registry.pathOf(c.previous));
    events.push(
      statusEvent(old, {
        event: c.event,
        status: 'retired',
        reason: `${c.event === 'promoted' ? 'replaced' : 'rolled back'}: ${c.champion} is the champion now`,
        comparedWith: c.champion,
        decidedBy: c.decidedBy,
        at: c.at,
      }),
    );
  }
  const meta = await readMeta(registry.pathOf(c.champion));
  events.push(
    statusEvent(meta, {
      event: c.event,
      status: 'champion',
      reason: c.reason,
      comparedWith: c.previous,
      decidedBy: c.decidedBy,
      at: c.at,
    }),
  );
  return events;
}
