import { join } from 'node:path';
import type { AppConfig } from '../core/config/app-config.ts';
import { ValidationError } from '../core/errors.ts';

/**
 * Everything needed to run one local stack. The dev stack and the test stack
 * are two instances of this with their own directory and ports.
 */
export interface StackSettings {
  /** Repository root: connect/ and prisma/ are read from here. */
  root: string;
  /** Project-owned state: data dirs, logs, pid files. */
  dir: string;
  jarsDir: string;
  db: {
    port: number;
    database: string;
    rootPassword: string;
    appUser: string;
    appPassword: string;
    debeziumUser: string;
    debeziumPassword: string;
  };
  kafka: { port: number; controllerPort: number };
  connect: { port: number };
  /** JVM heap for each of Kafka and Connect. */
  heap: string;
}

/** A stack account with an empty password is an open door: its variable must be set (the first run writes .env). */
function secret(value: string, variable: string): string {
  if (!value.trim())
    throw new ValidationError(
      `${variable} is empty: set it, or delete it from .env and the environment to get a fresh one`,
      {
        path: variable,
      },
    );
  return value;
}

export function settingsFromConfig(config: AppConfig, root: string): StackSettings {
  return {
    root,
    dir: config.stack.dir,
    jarsDir: config.stack.jarsDir,
    db: {
      port: config.dbRoot.port,
      database: config.db.database,
      rootPassword: secret(config.dbRoot.password, 'DB_ROOT_PASSWORD'),
      appUser: config.db.user,
      appPassword: secret(config.db.password, 'DB_APP_PASSWORD'),
      debeziumUser: config.debezium.user,
      debeziumPassword: secret(config.debezium.password, 'DEBEZIUM_DB_PASSWORD'),
    },
    kafka: { port: config.kafka.port, controllerPort: config.kafka.controllerPort },
    connect: { port: config.connect.port },
    heap: '768m',
  };
}

export const stackPaths = (s: StackSettings) => ({
  run: join(s.dir, 'run'),
  logs: join(s.dir, 'logs'),
  mariadbData: join(s.dir, 'mariadb', 'data'),
  mariadbSocket: join(s.dir, 'run', 'mariadb.sock'),
  kafkaData: join(s.dir, 'kafka', 'data'),
  kafkaConfig: join(s.dir, 'kafka', 'node.properties'),
  connectConfig: join(s.dir, 'connect', 'worker.properties'),
  log4j: join(s.dir, 'log4j.properties'),
  kafkaJars: join(s.jarsDir, 'kafka'),
  pluginsDir: join(s.jarsDir, 'plugins'),
});

export const kafkaBrokers = (s: StackSettings) => [`127.0.0.1:${s.kafka.port}`];
export const connectUrl = (s: StackSettings) => `http://127.0.0.1:${s.connect.port}`;
