import { join } from 'node:path';
import type { AppConfig } from '../core/config/app-config.ts';

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

export function settingsFromConfig(config: AppConfig, root: string): StackSettings {
  return {
    root,
    dir: config.stack.dir,
    jarsDir: config.stack.jarsDir,
    db: {
      port: config.dbRoot.port,
      database: config.db.database,
      rootPassword: config.dbRoot.password,
      appUser: config.db.user,
      appPassword: config.db.password,
      debeziumUser: config.debezium.user,
      debeziumPassword: config.debezium.password,
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
