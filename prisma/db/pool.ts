import mysql from 'mysql2/promise';
import type { DbConfig } from '../../core/config/db-config.ts';

export type Pool = mysql.Pool;

/** mysql2 pool for hot paths (batched inserts/upserts); Prisma is for everything that is not hot. */
export function createPool(db: DbConfig, opts: { connectionLimit?: number; multipleStatements?: boolean } = {}): Pool {
  return mysql.createPool({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database || undefined,
    connectionLimit: opts.connectionLimit ?? 4,
    multipleStatements: opts.multipleStatements ?? false,
    // DECIMAL and BIGINT as strings: exact, and converted on purpose where needed.
    decimalNumbers: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: false,
    timezone: 'Z',
  });
}
