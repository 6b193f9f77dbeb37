import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { PrismaClient } from '../generated/client.ts';
import type { DbConfig } from '../../core/config/db-config.ts';

export type { PrismaClient };

/** Prisma 7 talks to MariaDB and MySQL through the mariadb driver adapter (no engine binary). */
export function createPrismaClient(db: DbConfig, connectionLimit = 4): PrismaClient {
  const adapter = new PrismaMariaDb({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
    connectionLimit,
    // Our DATETIME columns hold UTC; without this the driver reads them in the process's zone.
    timezone: 'Z',
    // MySQL 8.4's caching_sha2_password needs the server's RSA key over plain TCP; harmless on MariaDB.
    allowPublicKeyRetrieval: true,
  } as ConstructorParameters<typeof PrismaMariaDb>[0]);
  return new PrismaClient({ adapter });
}
