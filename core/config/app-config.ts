import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { LogLevel } from '../logger.ts';
import type { DbConfig } from './db-config.ts';
import { dbFromUrl } from './db-url.ts';
import { loadEnv } from './load-env.ts';
import { kafkaEnv, loggingEnv, port } from './pieces.ts';

/** The CLI's config: the shared pieces plus what only the local stack needs (root, ports, dirs). */
const envSchema = z.object({
  ...kafkaEnv,
  ...loggingEnv,
  DB_HOST: z.string().default('127.0.0.1'),
  DB_PORT: port.default(3307),
  DB_NAME: z.string().regex(/^\w+$/).default('shop'),
  DB_ROOT_PASSWORD: z.string().default(''),
  DB_APP_USER: z.string().default('shop_app'),
  DB_APP_PASSWORD: z.string().default(''),
  DEBEZIUM_DB_USER: z.string().default('debezium'),
  DEBEZIUM_DB_PASSWORD: z.string().default(''),
  DATABASE_URL: z.string().optional(),
  KAFKA_PORT: port.default(9092),
  KAFKA_CONTROLLER_PORT: port.default(9093),
  CONNECT_PORT: port.default(8083),
  CONNECT_URL: z.string().url().optional(),
  STACK_DIR: z.string().default('.stack'),
  STACK_JARS_DIR: z.string().optional(),
});

export type { DbConfig };

export interface AppConfig {
  db: DbConfig;
  dbRoot: Omit<DbConfig, 'database'>;
  debezium: { user: string; password: string };
  kafka: { brokers: string[]; port: number; controllerPort: number };
  connect: { url: string; port: number };
  stack: { dir: string; jarsDir: string };
  logLevel: LogLevel;
}

/** The one place the CLI's env becomes config; everything else receives the result. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): AppConfig {
  // Without KAFKA_BROKERS the broker is the local stack's, on its configured port.
  const withBrokers = env.KAFKA_BROKERS ? env : { ...env, KAFKA_BROKERS: `127.0.0.1:${env.KAFKA_PORT ?? 9092}` };
  const e = loadEnv(envSchema, withBrokers, 'the command line');
  const db = e.DATABASE_URL
    ? dbFromUrl(e.DATABASE_URL)
    : { host: e.DB_HOST, port: e.DB_PORT, user: e.DB_APP_USER, password: e.DB_APP_PASSWORD, database: e.DB_NAME };
  return {
    db,
    dbRoot: { host: e.DB_HOST, port: e.DB_PORT, user: 'root', password: e.DB_ROOT_PASSWORD },
    debezium: { user: e.DEBEZIUM_DB_USER, password: e.DEBEZIUM_DB_PASSWORD },
    kafka: { brokers: e.KAFKA_BROKERS, port: e.KAFKA_PORT, controllerPort: e.KAFKA_CONTROLLER_PORT },
    connect: { url: e.CONNECT_URL ?? `http://127.0.0.1:${e.CONNECT_PORT}`, port: e.CONNECT_PORT },
    stack: {
      dir: resolve(cwd, e.STACK_DIR),
      jarsDir: resolve(expandHome(e.STACK_JARS_DIR ?? '~/.cache/shop-reco/jars')),
    },
    logLevel: e.LOG_LEVEL,
  };
}

function expandHome(p: string): string {
  return p.startsWith('~/') ? resolve(homedir(), p.slice(2)) : p;
}
