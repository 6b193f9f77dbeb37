import { z } from 'zod';
import { APP_PORTS } from '../../core/config/app-ports.ts';
import type { DbConfig } from '../../core/config/db-config.ts';
import { dbFromUrl } from '../../core/config/db-url.ts';
import { loadEnv } from '../../core/config/load-env.ts';
import { boolFlag, databaseEnv, kafkaEnv, loggingEnv, metricsPortEnv } from '../../core/config/pieces.ts';
import type { LogLevel } from '../../core/logger.ts';
import type { CdcNaming } from '../../streams/cdc/topics.ts';
import { DEFAULT_QUERY_TIMEOUT_MS } from '../../prisma/db/pool.ts';
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
  /** Settle pending references right after the chunk that brought them commits (else only every 250 ms). */
  settleOnCommit?: boolean;
  categoryMapFile?: string;
  concurrency: number;
  /** How soon the group notices a dead instance and hands its partitions to the others. */
  sessionTimeoutMs: number;
  logLevel: LogLevel;
  /** A statement on the store that gets no answer for this long fails (transiently) instead of hanging. */
  dbQueryTimeoutMs?: number;
  /** How long an idle recomputer gathers kicks before it drains (an order and its lines in one recompute). */
  recomputeGatherMs?: number;
  /** How long a new order waits for its lines (another topic) before its shopper is recomputed without them. */
  awaitLinesMs?: number;
}

/** An order's row and its lines, applied by two chunks, nearly always commit within this. */
export const RECOMPUTE_GATHER_MS = 10;

/**
 * An order's lines nearly always follow its row within tens of ms; their chunk recomputes the
 * shopper at once, so this only delays orders whose lines never come (or come later than this).
 */
export const AWAIT_LINES_MS = 200;

const envSchema = z.object({
  ...databaseEnv,
  ...kafkaEnv,
  ...loggingEnv,
  ...metricsPortEnv(APP_PORTS.features.env, APP_PORTS.features.port),
  FEATURES_DATABASE_URL: z.string().optional(),
  CDC_TOPIC_PREFIX: z.string().default('cdc'),
  CDC_DATABASE: z.string().optional(),
  FEATURES_GROUP_ID: z.string().default('features'),
  FEATURES_TOPIC: z.string().default(userFeaturesTopic.name),
  FEATURES_PENDING_GRACE_MS: z.coerce.number().int().min(0).default(60_000),
  FEATURES_PUBLISH: boolFlag.default(true),
  FEATURES_SETTLE_ON_COMMIT: boolFlag.default(true),
  FEATURES_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  FEATURES_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).default(10_000),
  CATEGORY_MAP_FILE: z.string().optional(),
  FEATURES_DB_QUERY_TIMEOUT_MS: z.coerce.number().int().min(0).default(DEFAULT_QUERY_TIMEOUT_MS),
  FEATURES_RECOMPUTE_GATHER_MS: z.coerce.number().int().min(0).max(1_000).default(RECOMPUTE_GATHER_MS),
  FEATURES_AWAIT_LINES_MS: z.coerce.number().int().min(0).max(5_000).default(AWAIT_LINES_MS),
});

/** The feature store defaults to a database of its own beside the shop's: `<shop>_features`. */
export function loadFeatureConsumerConfig(env: NodeJS.ProcessEnv): FeatureConsumerConfig {
  const e = loadEnv(envSchema, env, 'the feature consumer');
  const shop = e.DATABASE_URL;
  return {
    brokers: e.KAFKA_BROKERS,
    store: e.FEATURES_DATABASE_URL
      ? dbFromUrl(e.FEATURES_DATABASE_URL)
      : { ...shop, database: `${shop.database}_features` },
    cdc: { prefix: e.CDC_TOPIC_PREFIX, database: e.CDC_DATABASE ?? shop.database },
    groupId: e.FEATURES_GROUP_ID,
    featuresTopic: e.FEATURES_TOPIC,
    metricsPort: e.FEATURES_METRICS_PORT,
    pendingGraceMs: e.FEATURES_PENDING_GRACE_MS,
    publish: e.FEATURES_PUBLISH,
    settleOnCommit: e.FEATURES_SETTLE_ON_COMMIT,
    categoryMapFile: e.CATEGORY_MAP_FILE,
    concurrency: e.FEATURES_CONCURRENCY,
    sessionTimeoutMs: e.FEATURES_SESSION_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    dbQueryTimeoutMs: e.FEATURES_DB_QUERY_TIMEOUT_MS,
    recomputeGatherMs: e.FEATURES_RECOMPUTE_GATHER_MS,
    awaitLinesMs: e.FEATURES_AWAIT_LINES_MS,
  };
}
