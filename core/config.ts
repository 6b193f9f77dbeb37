import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ValidationError } from './errors.ts';
import type { LogLevel } from './logger.ts';
import type { DbConfig } from './db-config.ts';

const port = z.coerce.number().int().min(1).max(65535);

const envSchema = z.object({
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
  KAFKA_BROKERS: z.string().optional(),
  CONNECT_PORT: port.default(8083),
  CONNECT_URL: z.string().url().optional(),
  STACK_DIR: z.string().default('.stack'),
  STACK_JARS_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
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

/** The one place env becomes config; everything else receives the result. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ValidationError(`invalid environment: ${detail}`, { cause: parsed.error });
  }
  const e = parsed.data;
  const db = e.DATABASE_URL
    ? dbFromUrl(e.DATABASE_URL)
    : {
        host: e.DB_HOST,
        port: e.DB_PORT,
        user: e.DB_APP_USER,
        password: e.DB_APP_PASSWORD,
        database: e.DB_NAME,
      };
  return {
    db,
    dbRoot: { host: e.DB_HOST, port: e.DB_PORT, user: 'root', password: e.DB_ROOT_PASSWORD },
    debezium: { user: e.DEBEZIUM_DB_USER, password: e.DEBEZIUM_DB_PASSWORD },
    kafka: {
      brokers: (e.KAFKA_BROKERS ?? `127.0.0.1:${e.KAFKA_PORT}`)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      port: e.KAFKA_PORT,
      controllerPort: e.KAFKA_CONTROLLER_PORT,
    },
    connect: { url: e.CONNECT_URL ?? `http://127.0.0.1:${e.CONNECT_PORT}`, port: e.CONNECT_PORT },
    stack: {
      dir: resolve(cwd, e.STACK_DIR),
      jarsDir: resolve(expandHome(e.STACK_JARS_DIR ?? '~/.cache/shop-reco/jars')),
    },
    logLevel: e.LOG_LEVEL,
  };
}

export function dbFromUrl(url: string): DbConfig {
  let u: URL;
  try {
    u = new URL(url);
  } catch (cause) {
    throw new ValidationError('DATABASE_URL is not a URL', { cause });
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw new ValidationError(`DATABASE_URL must start with mysql://, got ${u.protocol}//`);
  }
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.replace(/^\//, ''),
  };
}

function expandHome(p: string): string {
  return p.startsWith('~/') ? resolve(homedir(), p.slice(2)) : p;
}
