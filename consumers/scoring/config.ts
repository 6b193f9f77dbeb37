import { resolve } from 'node:path';
import { z } from 'zod';
import { APP_PORTS } from '../../core/config/app-ports.ts';
import type { DbConfig } from '../../core/config/db-config.ts';
import { dbFromUrl } from '../../core/config/db-url.ts';
import { loadEnv } from '../../core/config/load-env.ts';
import { databaseEnv, kafkaEnv, loggingEnv, metricsPortEnv } from '../../core/config/pieces.ts';
import type { LogLevel } from '../../core/logger.ts';
import { jobsTopic } from '../../streams/control/job-event.ts';
import { userFeaturesTopic } from '../../streams/features/user-features.ts';
import { modelsTopic } from '../../streams/models/model-event.ts';
import { recommendationsTopic, shadowRecommendationsTopic } from '../../streams/recommendations/recommendation.ts';

/** What goes into one recommendation (see pick-products.ts). */
export interface RecommendationOptions {
  products: number;
  /** Categories whose products are shown and which carry reasons, best first. */
  topCategories: number;
  /** The diversity rule: at most this many products from one category while others can fill. */
  maxPerCategory: number;
  /** A shopper's own purchases of this many days are left out unless they re-buy in that category. */
  recentDays: number;
  /** Orders with a category from which a shopper counts as re-buying it. */
  rebuyOrders: number;
}

export interface ScoringConfig {
  brokers: string[];
  shop: DbConfig;
  store: DbConfig;
  groupId: string;
  featuresTopic: string;
  recommendationsTopic: string;
  /** Where a challenger in shadow mode publishes what it would have recommended. */
  shadowRecommendationsTopic: string;
  controlTopic: string;
  /** Promotions, rollbacks and shadow changes, followed so a running scorer switches at once. */
  modelsTopic: string;
  modelsDir: string;
  windowMs: number;
  maxBatch: number;
  sweepBatch: number;
  modelPollMs: number;
  catalogueRefreshMs: number;
  sessionTimeoutMs: number;
  recommendation: RecommendationOptions;
  metricsPort: number;
  categoryMapFile?: string;
  logLevel: LogLevel;
}

const int = (min: number) => z.coerce.number().int().min(min);

const envSchema = z.object({
  ...databaseEnv,
  ...kafkaEnv,
  ...loggingEnv,
  ...metricsPortEnv(APP_PORTS.scoring.env, APP_PORTS.scoring.port),
  FEATURES_DATABASE_URL: z.string().optional(),
  FEATURES_TOPIC: z.string().default(userFeaturesTopic.name),
  RECOMMENDATIONS_TOPIC: z.string().default(recommendationsTopic.name),
  SHADOW_RECOMMENDATIONS_TOPIC: z.string().default(shadowRecommendationsTopic.name),
  CONTROL_TOPIC: z.string().default(jobsTopic.name),
  MODELS_TOPIC: z.string().default(modelsTopic.name),
  SCORING_GROUP_ID: z.string().default('scoring'),
  MODELS_DIR: z.string().default('.models'),
  SCORING_WINDOW_MS: int(0).max(1_000).default(20),
  SCORING_MAX_BATCH: int(1).default(256),
  // Per batch: one predict call (rows/s grow with its size), one history query, one transaction.
  SCORING_SWEEP_BATCH: int(1).default(4096),
  SCORING_MODEL_POLL_MS: int(100).default(10_000),
  SCORING_CATALOGUE_REFRESH_MS: int(1_000).default(60_000),
  SCORING_SESSION_TIMEOUT_MS: int(6_000).default(10_000),
  SCORING_PRODUCTS: int(1).max(100).default(8),
  SCORING_TOP_CATEGORIES: int(1).max(16).default(3),
  SCORING_MAX_PER_CATEGORY: int(1).default(3),
  SCORING_RECENT_DAYS: int(0).default(30),
  SCORING_REBUY_ORDERS: int(1).default(2),
  CATEGORY_MAP_FILE: z.string().optional(),
});

/** The feature store is `<shop>_features` unless FEATURES_DATABASE_URL says otherwise, as for its consumer. */
export function loadScoringConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): ScoringConfig {
  const e = loadEnv(envSchema, env, 'the scoring consumer');
  const shop = e.DATABASE_URL;
  return {
    brokers: e.KAFKA_BROKERS,
    shop,
    store: e.FEATURES_DATABASE_URL
      ? dbFromUrl(e.FEATURES_DATABASE_URL)
      : { ...shop, database: `${shop.database}_features` },
    groupId: e.SCORING_GROUP_ID,
    featuresTopic: e.FEATURES_TOPIC,
    recommendationsTopic: e.RECOMMENDATIONS_TOPIC,
    shadowRecommendationsTopic: e.SHADOW_RECOMMENDATIONS_TOPIC,
    controlTopic: e.CONTROL_TOPIC,
    modelsTopic: e.MODELS_TOPIC,
    modelsDir: resolve(cwd, e.MODELS_DIR),
    windowMs: e.SCORING_WINDOW_MS,
    maxBatch: e.SCORING_MAX_BATCH,
    sweepBatch: e.SCORING_SWEEP_BATCH,
    modelPollMs: e.SCORING_MODEL_POLL_MS,
    catalogueRefreshMs: e.SCORING_CATALOGUE_REFRESH_MS,
    sessionTimeoutMs: e.SCORING_SESSION_TIMEOUT_MS,
    recommendation: {
      products: e.SCORING_PRODUCTS,
      topCategories: e.SCORING_TOP_CATEGORIES,
      maxPerCategory: e.SCORING_MAX_PER_CATEGORY,
      recentDays: e.SCORING_RECENT_DAYS,
      rebuyOrders: e.SCORING_REBUY_ORDERS,
    },
    metricsPort: e.SCORING_METRICS_PORT,
    categoryMapFile: e.CATEGORY_MAP_FILE,
    logLevel: e.LOG_LEVEL,
  };
}
