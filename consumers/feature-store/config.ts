import { z } from 'zod';
import { dbFromUrl } from '../../core/config.ts';
import type { DbConfig } from '../../core/db-config.ts';
import type { CdcNaming } from '../../streams/cdc/topics.ts';
import { ValidationError } from '../../core/errors.ts';
import type { LogLevel } from '../../core/logger.ts';
import { userFeaturesTopic } from '../../streams/features/user-features.ts';

export interface FeatureConsumerConfig {
  brokers: string[];
  store: DbConfig;
  cdc: CdcNaming;
  groupId: string;
  featuresTopic: string;
  /** 0 turns the metrics endpoint off. */
  metricsPort: number;
  pendingGraceMs: number;
  publish: boolean;
  categoryMapFile?: string;
  concurrency: number;
  /** How soon the group notices a dead instance and hands its partitions to the others. */
  sessionTimeoutMs: number;
  logLevel: LogLevel;
}

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  KAFKA_BROKERS: z.string().default('127.0.0.1:9092'),
  DATABASE_URL: z.string().default('mysql://shop_app@127.0.0.1:3307/shop'),
  FEATURES_DATABASE_URL: z.string().optional(),
  CDC_TOPIC_PREFIX: z.string().default('cdc'),
  CDC_DATABASE: z.string().optional(),
  FEATURES_GROUP_ID: z.string().default('features'),
  FEATURES_TOPIC: z.string().default(userFeaturesTopic.name),
  FEATURES_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  FEATURES_PENDING_GRACE_MS: z.coerce.number().int().min(0).default(60_000),
  FEATURES_PUBLISH: flag.default(true),
  FEATURES_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  FEATURES_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).default(10_000),
  CATEGORY_MAP_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

/** The feature store defaults to a database of its own beside the shop's: `<shop>_features`. */
export function loadFeatureConsumerConfig(env: NodeJS.ProcessEnv): FeatureConsumerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ValidationError(`invalid environment for the feature consumer: ${detail}`, { cause: parsed.error });
  }
  const e = parsed.data;
  const shop = dbFromUrl(e.DATABASE_URL);
  return {
    brokers: e.KAFKA_BROKERS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    store: e.FEATURES_DATABASE_URL
      ? dbFromUrl(e.FEATURES_DATABASE_URL)
      : { ...shop, database: `${shop.database}_features` },
    cdc: { prefix: e.CDC_TOPIC_PREFIX, database: e.CDC_DATABASE ?? shop.database },
    groupId: e.FEATURES_GROUP_ID,
    featuresTopic: e.FEATURES_TOPIC,
    metricsPort: e.FEATURES_METRICS_PORT,
    pendingGraceMs: e.FEATURES_PENDING_GRACE_MS,
    publish: e.FEATURES_PUBLISH,
    categoryMapFile: e.CATEGORY_MAP_FILE,
    concurrency: e.FEATURES_CONCURRENCY,
    sessionTimeoutMs: e.FEATURES_SESSION_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
  };
}
