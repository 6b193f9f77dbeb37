import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PoolConnection } from 'mysql2/promise';
import type { Pool } from './pool.ts';
import { checksumOf, matchesChecksum } from './migration-checksum.ts';
import { AppError, TransientError, ValidationError } from '../../core/errors.ts';
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
      return { name, sql, checksum: checksumOf(sql) };
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
  /** How long to wait for another process's migrate to finish. */
  lockTimeoutS?: number;
}

/**
 * Applies pending migrations in name order; returns the names applied. Safe to run twice, and
 * at once: a named lock per database (as Prisma takes) makes a second process wait, then find
 * nothing left to do.
 */
export async function migrate(deps: MigrateDeps): Promise<string[]> {
  const conn = await deps.pool.getConnection();
  try {
    const [rows] = await conn.query('SELECT GET_LOCK(CONCAT(DATABASE(), ?), ?) AS got', [
      '.migrate',
      deps.lockTimeoutS ?? 60,
    ]);
    const got = (rows as { got: number | null }[])[0]?.got;
    if (got !== 1)
      throw new TransientError(`migrate: another process held the migration lock for ${deps.lockTimeoutS ?? 60} s`);
    try {
      return await migrateLocked(conn, deps);
    } finally {
      await conn.query('SELECT RELEASE_LOCK(CONCAT(DATABASE(), ?))', ['.migrate']);
    }
  } finally {
    conn.release();
  }
}

async function migrateLocked(conn: PoolConnection, { migrationsDir, logger }: MigrateDeps): Promise<string[]> {
  await conn.query(HISTORY_DDL);
  const [rows] = await conn.query(
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
      if (!matchesChecksum(m.sql, prior.checksum)) {
        throw new ValidationError(`migration ${m.name} was edited after it was applied (checksum differs)`);
      }
      continue;
    }
    if (prior)
      throw new AppError(`migration ${m.name} failed earlier and left the database half-migrated; fix it by hand`);
    await applyOne(conn, m, logger);
    done.push(m.name);
  }
  return done;
}

async function applyOne(conn: PoolConnection, m: Migration, logger: Logger): Promise<void> {
  const id = randomUUID();
  await conn.query('INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES (?, ?, ?)', [
    id,
    m.checksum,
    m.name,
  ]);
  const statements = splitStatements(m.sql);
  let steps = 0;
  try {
    for (const stmt of statements) {
      await conn.query(stmt);
      steps++;
    }
  } catch (cause) {
    await conn.query('UPDATE _prisma_migrations SET logs = ?, applied_steps_count = ? WHERE id = ?', [
      String(cause),
      steps,
      id,
    ]);
    throw new AppError(`migration ${m.name} failed at statement ${steps + 1}`, { cause });
  }
  await conn.query(
    'UPDATE _prisma_migrations SET finished_at = CURRENT_TIMESTAMP(3), applied_steps_count = ? WHERE id = ?',
    [steps, id],
  );
  logger.info('migration applied', { migration: m.name, statements: steps });
}
