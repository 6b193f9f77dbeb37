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
  /**
   * Node 1's ports; with `brokers` > 1 (a KRaft cluster on one host) node N listens on these plus
   * 10 × (N − 1). Absent means one combined broker+controller, as before.
   */
  kafka: { port: number; controllerPort: number; brokers?: number };
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
  connectConfig: join(s.dir, 'connect', 'worker.properties'),
  log4j: join(s.dir, 'log4j.properties'),
  kafkaJars: join(s.jarsDir, 'kafka'),
  pluginsDir: join(s.jarsDir, 'plugins'),
});

/** How many Kafka nodes this stack runs (each a broker and a controller voter). */
export const brokerCount = (s: StackSettings) => s.kafka.brokers ?? 1;

/** Node 1..N of the cluster: its ports and, for nodes after the first, its own directory. */
export function kafkaNode(s: StackSettings, node: number) {
  const shift = 10 * (node - 1);
  const base = node === 1 ? join(s.dir, 'kafka') : join(s.dir, `kafka-${node}`);
  return {
    node,
    name: node === 1 ? 'kafka' : `kafka-${node}`,
    port: s.kafka.port + shift,
    controllerPort: s.kafka.controllerPort + shift,
    data: join(base, 'data'),
    config: join(base, 'node.properties'),
  };
}

export const kafkaNodes = (s: StackSettings) => Array.from({ length: brokerCount(s) }, (_, i) => kafkaNode(s, i + 1));

export const kafkaBrokers = (s: StackSettings) => kafkaNodes(s).map((n) => `127.0.0.1:${n.port}`);
export const connectUrl = (s: StackSettings) => `http://127.0.0.1:${s.connect.port}`;
