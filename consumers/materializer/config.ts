import { z } from 'zod';
import { APP_PORTS } from '../../core/config/app-ports.ts';
import type { DbConfig } from '../../core/config/db-config.ts';
import { loadEnv } from '../../core/config/load-env.ts';
import { databaseEnv, kafkaEnv, loggingEnv, metricsPortEnv } from '../../core/config/pieces.ts';
import type { LogLevel } from '../../core/logger.ts';
import { recommendationsTopic } from '../../streams/recommendations/recommendation.ts';

export interface MaterializerConfig {
  brokers: string[];
  /** The shop database, whose `recommendation_current` table the API and SQL users read. */
  db: DbConfig;
  groupId: string;
  topic: string;
  metricsPort: number;
  logLevel: LogLevel;
}

const envSchema = z.object({
  ...databaseEnv,
  ...kafkaEnv,
  ...loggingEnv,
  ...metricsPortEnv(APP_PORTS.materializer.env, APP_PORTS.materializer.port),
  MATERIALIZER_GROUP_ID: z.string().default('materializer'),
  RECOMMENDATIONS_TOPIC: z.string().default(recommendationsTopic.name),
});

export function loadMaterializerConfig(env: NodeJS.ProcessEnv): MaterializerConfig {
  const e = loadEnv(envSchema, env, 'the materializer');
  return {
    brokers: e.KAFKA_BROKERS,
    db: e.DATABASE_URL,
    groupId: e.MATERIALIZER_GROUP_ID,
    topic: e.RECOMMENDATIONS_TOPIC,
    metricsPort: e.MATERIALIZER_METRICS_PORT,
    logLevel: e.LOG_LEVEL,
  };
}
