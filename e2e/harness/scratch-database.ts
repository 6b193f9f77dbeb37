import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { rootConnection } from '../../stack/mariadb.ts';
import type { StackSettings } from '../../stack/settings.ts';
import type { DbConfig } from '../../core/config/db-config.ts';
import { migrate } from '../../prisma/db/migrate.ts';
import { createPool, type Pool } from '../../prisma/db/pool.ts';
import { createPrismaClient, type PrismaClient } from '../../prisma/db/prisma-client.ts';
import { silentLogger } from '../../core/logger.ts';

export interface TestDatabase {
  name: string;
  db: DbConfig;
  pool: Pool;
  /** A Prisma client on this database (created on first use, closed by drop). */
  prisma(): PrismaClient;
  drop(): Promise<void>;
}

export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex')}`;

/** A fresh, migrated database in a stack's MariaDB, owned by the least-privilege app user (tests, benchmarks). */
export async function createScratchDatabase(
  stack: StackSettings,
  prefix = 't',
  migrationsDir = join(stack.root, 'prisma/migrations'),
): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  const root = await rootConnection(stack);
  try {
    await root.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await root.query(`GRANT ALL PRIVILEGES ON \`${name}\`.* TO ?@'%'`, [stack.db.appUser]);
  } finally {
    await root.end();
  }
  const db: DbConfig = {
    host: '127.0.0.1',
    port: stack.db.port,
    user: stack.db.appUser,
    password: stack.db.appPassword,
    database: name,
  };
  const pool = createPool(db, { connectionLimit: 8 });
  await migrate({ pool, migrationsDir, logger: silentLogger });
  let prisma: PrismaClient | undefined;
  return {
    name,
    db,
    pool,
    prisma: () => (prisma ??= createPrismaClient(db)),
    async drop() {
      await prisma?.$disconnect();
      await pool.end();
      const conn = await rootConnection(stack);
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}
