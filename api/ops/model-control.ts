import type { Pool } from '../../prisma/db/pool.ts';
import { championChangeEvents, type ChampionChange } from '../../model/registry/announce.ts';
import { createRegistryTable } from '../../model/registry/mysql-table.ts';
import { createRegistry } from '../../model/registry/registry.ts';
import type { ModelEvent } from '../../streams/models/model-event.ts';
import type { ModelControl } from '../deps.ts';

export interface ModelControlDeps {
  modelsDir: string;
  pool: Pool;
  /** Publishes on models.v1 (createModelEventPublisher), so running scorers switch at once. */
  announce: (events: ModelEvent[]) => Promise<void>;
  clock?: () => Date;
}

/**
 * Promote and roll back exactly as `npm run model -- promote|rollback` do: the registry on disk and
 * its table, then the decision on models.v1. If Kafka fails after the registry changed, the error
 * (503) says so; scorers still pick the change up from the registry, and repeating is harmless.
 */
export function createModelControl(deps: ModelControlDeps): ModelControl {
  const registry = createRegistry({ dir: deps.modelsDir, table: createRegistryTable({ pool: deps.pool }) });
  const clock = deps.clock ?? (() => new Date());
  const announce = async (c: Omit<ChampionChange, 'decidedBy' | 'at'>) =>
    deps.announce(await championChangeEvents(registry, { ...c, decidedBy: 'api', at: clock() }));
  return {
    async promote(version, force) {
      const previous = (await registry.champion())?.version ?? null;
      const r = await registry.promote(version, { force });
      if (r.promoted && previous !== version) {
        const reason = `promoted through the ops API${force ? ' (force)' : ''}: ${r.reason}`;
        await announce({ champion: version, previous, event: 'promoted', reason });
      }
      return r;
    },
    async rollback() {
      const previous = (await registry.champion())?.version ?? null;
      const { version } = await registry.rollback();
      await announce({ champion: version, previous, event: 'rolled-back', reason: `rolled back from ${previous}` });
      return { version };
    },
  };
}
