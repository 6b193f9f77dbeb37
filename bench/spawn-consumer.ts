import { spawn, type ChildProcess } from 'node:child_process';
import type { FeatureConsumerConfig } from '../consumers/feature-store/config.ts';

/** The feature consumer in its own OS process, configured by env alone, so its CPU and memory are its own. */
export function spawnFeatureConsumer(
  config: FeatureConsumerConfig,
  shopDatabase: string,
  nodeArgs: string[] = [],
): ChildProcess {
  const db = config.store;
  const url = (database: string) => `mysql://${db.user}:${db.password}@${db.host}:${db.port}/${database}`;
  const env = {
    ...process.env,
    KAFKA_BROKERS: config.brokers.join(','),
    LOG_LEVEL: 'warn',
    DATABASE_URL: url(shopDatabase),
    FEATURES_DATABASE_URL: url(db.database),
    CDC_TOPIC_PREFIX: config.cdc.prefix,
    CDC_DATABASE: config.cdc.database,
    FEATURES_GROUP_ID: config.groupId,
    FEATURES_TOPIC: config.featuresTopic,
    FEATURES_METRICS_PORT: '0',
    FEATURES_CONCURRENCY: String(config.concurrency),
    FEATURES_PUBLISH: String(config.publish),
    FEATURES_PENDING_GRACE_MS: String(config.pendingGraceMs),
    FEATURES_SESSION_TIMEOUT_MS: String(config.sessionTimeoutMs),
  };
  return spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'consumers/feature-store/main.ts'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export const stopChild = (c: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
  });
