import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool } from './pool.ts';
import { AppError, ValidationError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';

// Same table and checksum as Prisma's own migrate, so `prisma migrate deploy` (for users
// who have the schema engine) and this runner agree on what has been applied.
const HISTORY_DDL = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
  id VARCHAR(36) PRIMARY KEY NOT NULL,
  checksum VARCHAR(64) NOT NULL,
  finished_at DATETIME(3),
  migration_name VARCHAR(255) NOT NULL,
  logs TEXT,
  rolled_back_at DATETIME(3),
  started_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  applied_steps_count INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir: string): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/** Statements end with `;` at the end of a line; our migrations hold no procedures. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}

export interface MigrateDeps {
  pool: Pool;
  migrationsDir: string;
  logger: Logger;
}

/** Applies pending migrations in name order; returns the names applied. Safe to run twice. */
export async function migrate({ pool, migrationsDir, logger }: MigrateDeps): Promise<string[]> {
  await pool.query(HISTORY_DDL);
  const [rows] = await pool.query(
    'SELECT migration_name, checksum, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL',
  );
  const applied = new Map(
    (rows as { migration_name: string; checksum: string; finished_at: Date | null }[]).map((r) => [
      r.migration_name,
      r,
    ]),
  );
  const done: string[] = [];
  for (const m of await readMigrations(migrationsDir)) {
    const prior = applied.get(m.name);
    if (prior?.finished_at) {
      if (prior.checksum !== m.checksum) {
        throw new ValidationError(`migration ${m.name} was edited after it was applied (checksum differs)`);
      }
      continue;
    }
    if (prior)
      throw new AppError(`migration ${m.name} failed earlier and left the database half-migrated; fix it by hand`);
    await applyOne(pool, m, logger);
    done.push(m.name);
  }
  return done;
}

async function applyOne(pool: Pool, m: Migration, logger: Logger): Promise<void> {
  const id = randomUUID();
  await pool.query('INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES (?, ?, ?)', [
    id,
    m.checksum,
    m.name,
  ]);
  const statements = splitStatements(m.sql);
  let steps = 0;
  try {
    for (const stmt of statements) {
      await pool.query(stmt);
      steps++;
    }
  } catch (cause) {
    await pool.query('UPDATE _prisma_migrations SET logs = ?, applied_steps_count = ? WHERE id = ?', [
      String(cause),
      steps,
      id,
    ]);
    throw new AppError(`migration ${m.name} failed at statement ${steps + 1}`, { cause });
  }
  await pool.query(
    'UPDATE _prisma_migrations SET finished_at = CURRENT_TIMESTAMP(3), applied_steps_count = ? WHERE id = ?',
    [steps, id],
  );
  logger.info('migration applied', { migration: m.name, statements: steps });
}
