import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../e2e/harness/test-database.ts';
import { silentLogger } from '../../core/logger.ts';
import { migrate, readMigrations } from './migrate.ts';
import { createPool } from './pool.ts';

const migrationsDir = join(import.meta.dirname, '../migrations');

describe('migrate, two processes at once on a fresh database', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    // Created empty: no migrations, then not even the history table.
    t = await createTestDatabase({ prefix: 'mig', migrationsDir: mkdtempSync(join(tmpdir(), 'no-migrations-')) });
    await t.pool.query('DROP TABLE _prisma_migrations');
  });
  afterAll(() => t?.drop());

  it('applies each migration once; the second waits for the lock and finds nothing left', async () => {
    // Separate pools, as two consumers starting together would have.
    const pools = [createPool(t.db), createPool(t.db)];
    try {
      const results = await Promise.all(pools.map((pool) => migrate({ pool, migrationsDir, logger: silentLogger })));
      const all = (await readMigrations(migrationsDir)).map((m) => m.name);
      expect(results.flat().sort()).toEqual(all);
      expect(results.some((r) => r.length === 0)).toBe(true);
      const [rows] = await t.pool.query(
        'SELECT migration_name AS name, COUNT(*) AS n, MIN(finished_at IS NOT NULL) AS finished FROM _prisma_migrations GROUP BY migration_name ORDER BY migration_name',
      );
      expect(rows).toEqual(all.map((name) => ({ name, n: '1', finished: 1 })));
      const [free] = await t.pool.query('SELECT IS_FREE_LOCK(?) AS free', [`${t.name}.migrate`]);
      expect(free).toEqual([{ free: 1 }]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});
