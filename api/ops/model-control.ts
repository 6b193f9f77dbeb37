import type { Pool } from '../../prisma/db/pool.ts';
import { createRegistryTable } from '../../model/registry/mysql-table.ts';
import { createRegistry } from '../../model/registry/registry.ts';
import type { ModelControl } from '../deps.ts';

/** Promote and roll back exactly as `npm run model -- promote|rollback` do: the registry on disk and its table. */
export function createModelControl(deps: { modelsDir: string; pool: Pool }): ModelControl {
  const registry = createRegistry({ dir: deps.modelsDir, table: createRegistryTable({ pool: deps.pool }) });
  return {
    promote: (version, force) => registry.promote(version, { force }),
    rollback: async () => ({ version: (await registry.rollback()).version }),
  };
}
