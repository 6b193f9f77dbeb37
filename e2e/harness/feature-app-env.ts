import type { DbConfig } from '../../core/config/db-config.ts';
import type { FeatureConsumerConfig } from '../../consumers/feature-store/config.ts';

const url = (db: DbConfig) =>
  `mysql://${encodeURIComponent(db.user)}:${encodeURIComponent(db.password)}@${db.host}:${db.port}/${db.database}`;

/** The environment that makes the features app (consumers/feature-store/main.ts) run with `config`. */
export function featureAppEnv(config: FeatureConsumerConfig, shop: DbConfig): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: url(shop),
    FEATURES_DATABASE_URL: url(config.store),
    KAFKA_BROKERS: config.brokers.join(','),
    CDC_TOPIC_PREFIX: config.cdc.prefix,
    CDC_DATABASE: config.cdc.database,
    FEATURES_GROUP_ID: config.groupId,
    FEATURES_TOPIC: config.featuresTopic,
    FEATURES_METRICS_PORT: String(config.metricsPort),
    FEATURES_SESSION_TIMEOUT_MS: String(config.sessionTimeoutMs),
    LOG_LEVEL: 'warn',
  };
}
