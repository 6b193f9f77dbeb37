import type { Logger } from '../../core/logger.ts';
import type { ModelEvent } from '../../streams/models/model-event.ts';
import type { Tf } from '../backend/select-backend.ts';
import { loadArtifact } from './artifact.ts';
import { scorerOf, type ChampionScorer } from './champion.ts';
import type { Registry } from './registry.ts';

/**
 * Which version is in shadow mode, folded from models.v1. At most one shadow at a time: the
 * newest `shadow-started` wins, and any later event about that version that is not `shadow`
 * (stopped, promoted, rejected, retired) ends it. Events under the `champion` key repeat a
 * version's own event and fold the same way.
 */
export interface ShadowState {
  apply(e: ModelEvent): void;
  current(): string | null;
}

export function createShadowState(): ShadowState {
  let shadow: string | null = null;
  return {
    apply(e) {
      if (e.status === 'shadow') shadow = e.version;
      else if (e.version === shadow) shadow = null;
    },
    current: () => shadow,
  };
}

/** Any registered version as a scorer (the champion loader, for a named version). */
export async function loadVersionScorer(
  deps: { tf: Tf; registry: Registry },
  version: string,
): Promise<ChampionScorer> {
  return scorerOf(deps.tf, await loadArtifact(deps.tf, deps.registry.pathOf(version)));
}

export interface ShadowSlot {
  /** Feed every models.v1 value (parsed); loads or drops the shadow model when the shadow changes. */
  onModelEvent(e: ModelEvent): Promise<void>;
  /** Folds several events (a replayed history) and loads only what the last of them leaves in shadow. */
  onModelEvents(events: readonly ModelEvent[]): Promise<void>;
  /** The shadow model, or null when none is in shadow (or it could not be loaded). */
  scorer(): ChampionScorer | null;
  dispose(): void;
}

/**
 * What a scorer holds for shadow mode: one model beside the champion, swapped as models.v1 says.
 * A shadow that cannot load (pruned, other feature code) is logged and skipped: shadow scoring
 * is optional, so it never stops the champion's.
 */
export function createShadowSlot(deps: { tf: Tf; registry: Registry; logger: Logger }): ShadowSlot {
  const state = createShadowState();
  let loaded: ChampionScorer | null = null;
  const drop = () => {
    loaded?.dispose();
    loaded = null;
  };
  const onModelEvents = async (events: readonly ModelEvent[]) => {
    for (const e of events) state.apply(e);
    const wanted = state.current();
    if (wanted === (loaded?.version ?? null)) return;
    drop();
    if (!wanted) return deps.logger.info('shadow model stopped');
    try {
      loaded = await loadVersionScorer(deps, wanted);
      deps.logger.info('shadow model loaded', { version: wanted });
    } catch (err) {
      deps.logger.warn('shadow model could not be loaded; scoring without it', { version: wanted, err });
    }
  };
  return {
    onModelEvent: (e) => onModelEvents([e]),
    onModelEvents,
    scorer: () => loaded,
    dispose: drop,
  };
}
