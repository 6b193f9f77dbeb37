import { inject } from 'vitest';
import type { StackSettings } from '../../stack/settings.ts';
import { createScratchDatabase, type TestDatabase } from './scratch-database.ts';

export { uniqueName, type TestDatabase } from './scratch-database.ts';

/** A fresh, migrated database in the test stack's MariaDB; drop it in afterAll. */
export function createTestDatabase(
  opts: { prefix?: string; stack?: StackSettings; migrationsDir?: string } = {},
): Promise<TestDatabase> {
  return createScratchDatabase(opts.stack ?? inject('stack'), opts.prefix ?? 't', opts.migrationsDir);
}
