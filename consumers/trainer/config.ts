import { resolve } from 'node:path';
import { z } from 'zod';
import { APP_PORTS } from '../../core/config/app-ports.ts';
import type { DbConfig } from '../../core/config/db-config.ts';
import { loadEnv } from '../../core/config/load-env.ts';
import { boolFlag, databaseEnv, kafkaEnv, loggingEnv, metricsPortEnv } from '../../core/config/pieces.ts';
import type { LogLevel } from '../../core/logger.ts';
import { jobsTopic } from '../../streams/control/job-event.ts';
import { modelsTopic } from '../../streams/models/model-event.ts';

export interface TrainerConfig {
  brokers: string[];
  shop: DbConfig;
  /** The registry on disk (artifacts + index); mirrored to the shop's model_versions. */
  modelsDir: string;
  controlTopic: string;
  modelsTopic: string;
  /** Least NDCG@3 lead over the champion for an automatic promotion. */
  minNdcgGain: number;
  /** Request a retrain after this many new orders since the newest model; 0 turns it off. */
  afterOrders: number;
  volumeCheckMs: number;
  /** Snapshot range: the newest N days of orders. */
  windowDays: number;
  stepDays: number;
  maxEpochs: number;
  /** Put a challenger the gate kept as a candidate into shadow mode beside the champion. */
  shadowRejected: boolean;
  /** Training runs in a child process at this niceness, so scoring keeps the CPU it needs. */
  niceness: number;
  categoryMapFile?: string;
  metricsPort: number;
  logLevel: LogLevel;
}

const envSchema = z.object({
  ...databaseEnv,
  ...kafkaEnv,
  ...loggingEnv,
  ...metricsPortEnv(APP_PORTS.trainer.env, APP_PORTS.trainer.port),
  MODELS_DIR: z.string().default('.models'),
  CONTROL_TOPIC: z.string().default(jobsTopic.name),
  MODELS_TOPIC: z.string().default(modelsTopic.name),
  RETRAIN_MIN_NDCG_GAIN: z.coerce.number().min(-1).max(1).default(0),
  RETRAIN_AFTER_ORDERS: z.coerce.number().int().min(0).default(0),
  RETRAIN_VOLUME_CHECK_MS: z.coerce.number().int().min(100).default(60_000),
  RETRAIN_WINDOW_DAYS: z.coerce.number().int().min(28).default(365),
  RETRAIN_STEP_DAYS: z.coerce.number().int().min(1).default(7),
  RETRAIN_MAX_EPOCHS: z.coerce.number().int().min(1).default(30),
  RETRAIN_SHADOW_REJECTED: boolFlag.default(false),
  RETRAIN_NICENESS: z.coerce.number().int().min(0).max(19).default(10),
  CATEGORY_MAP_FILE: z.string().optional(),
});

export function loadTrainerConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): TrainerConfig {
  const e = loadEnv(envSchema, env, 'the trainer');
  return {
    brokers: e.KAFKA_BROKERS,
    shop: e.DATABASE_URL,
    modelsDir: resolve(cwd, e.MODELS_DIR),
    controlTopic: e.CONTROL_TOPIC,
    modelsTopic: e.MODELS_TOPIC,
    minNdcgGain: e.RETRAIN_MIN_NDCG_GAIN,
    afterOrders: e.RETRAIN_AFTER_ORDERS,
    volumeCheckMs: e.RETRAIN_VOLUME_CHECK_MS,
    windowDays: e.RETRAIN_WINDOW_DAYS,
    stepDays: e.RETRAIN_STEP_DAYS,
    maxEpochs: e.RETRAIN_MAX_EPOCHS,
    shadowRejected: e.RETRAIN_SHADOW_REJECTED,
    niceness: e.RETRAIN_NICENESS,
    categoryMapFile: e.CATEGORY_MAP_FILE,
    metricsPort: e[APP_PORTS.trainer.env],
    logLevel: e.LOG_LEVEL,
  };
}
