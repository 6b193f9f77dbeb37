import { z } from 'zod';
import { APP_PORTS } from '../core/config/app-ports.ts';
import type { DbConfig } from '../core/config/db-config.ts';
import { loadEnv } from '../core/config/load-env.ts';
import { boolFlag, databaseEnv, kafkaEnv, loggingEnv, port } from '../core/config/pieces.ts';
import type { LogLevel } from '../core/logger.ts';
import { jobsTopic } from '../streams/control/job-event.ts';
import { modelsTopic } from '../streams/models/model-event.ts';
import { recommendationsTopic, shadowRecommendationsTopic } from '../streams/recommendations/recommendation.ts';
import { storefrontEventsTopic } from '../streams/storefront/storefront-event.ts';

export const DEFAULT_CORS_ORIGINS = 'http://127.0.0.1:5173,http://localhost:5173';

/** What the HTTP layer itself needs; unit tests build this with `testApiConfig`. */
export interface HttpConfig {
  /** Absolute base that image URLs in responses start with (what a browser can reach). */
  publicUrl: string;
  corsOrigins: string[];
  opsToken: string;
  bodyLimitBytes: number;
  requestTimeoutMs: number;
  topics: {
    recommendations: string;
    shadowRecommendations: string;
    storefrontEvents: string;
    jobs: string;
    models: string;
  };
}

export interface ApiConfig extends HttpConfig {
  host: string;
  port: number;
  db: DbConfig;
  brokers: string[];
  modelsDir: string;
  /** How many rendered /home answers are kept (hot-read view, and the answer while the DB is down). */
  homeCacheSize: number;
  /** Serve /home from the in-process view kept current by recommendations.v1 (else every read hits the DB). */
  homeView: boolean;
  /** Orders placed this many days back are judged for the ops page's online hit rate. */
  onlineWindowDays: number;
  logLevel: LogLevel;
}

const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

const envSchema = z.object({
  ...databaseEnv,
  ...kafkaEnv,
  ...loggingEnv,
  [APP_PORTS.api.env]: port.default(APP_PORTS.api.port),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PUBLIC_URL: z.url().optional(),
  // An empty or ungenerated token would let anyone run the ops endpoints: refuse to start instead.
  OPS_TOKEN: z
    .string({ error: 'OPS_TOKEN is required (npm run stack -- status writes one into .env)' })
    .min(16, 'OPS_TOKEN must be at least 16 characters')
    .refine((t) => t !== '__generate__', 'OPS_TOKEN is still __generate__: put a random secret there'),
  API_CORS_ORIGINS: list.default(DEFAULT_CORS_ORIGINS.split(',')).pipe(z.array(z.url()).min(1)),
  API_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  API_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  API_HOME_CACHE_SIZE: z.coerce.number().int().min(1).default(10_000),
  API_HOME_VIEW: boolFlag.default(true),
  API_ONLINE_WINDOW_DAYS: z.coerce.number().int().min(1).default(7),
  MODELS_DIR: z.string().default('.models'),
  RECOMMENDATIONS_TOPIC: z.string().default(recommendationsTopic.name),
  SHADOW_RECOMMENDATIONS_TOPIC: z.string().default(shadowRecommendationsTopic.name),
  STOREFRONT_EVENTS_TOPIC: z.string().default(storefrontEventsTopic.name),
  CONTROL_TOPIC: z.string().default(jobsTopic.name),
  MODELS_TOPIC: z.string().default(modelsTopic.name),
});

/** The one place the API's env becomes config. */
export function loadApiConfig(env: NodeJS.ProcessEnv): ApiConfig {
  const e = loadEnv(envSchema, env, 'the API');
  const apiPort = e[APP_PORTS.api.env] as number;
  const host = e.API_HOST;
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    host,
    port: apiPort,
    publicUrl: (e.API_PUBLIC_URL ?? `http://${reachable}:${apiPort}`).replace(/\/+$/, ''),
    corsOrigins: e.API_CORS_ORIGINS,
    opsToken: e.OPS_TOKEN,
    bodyLimitBytes: e.API_BODY_LIMIT_BYTES,
    requestTimeoutMs: e.API_REQUEST_TIMEOUT_MS,
    topics: {
      recommendations: e.RECOMMENDATIONS_TOPIC,
      shadowRecommendations: e.SHADOW_RECOMMENDATIONS_TOPIC,
      storefrontEvents: e.STOREFRONT_EVENTS_TOPIC,
      jobs: e.CONTROL_TOPIC,
      models: e.MODELS_TOPIC,
    },
    db: e.DATABASE_URL,
    brokers: e.KAFKA_BROKERS,
    modelsDir: e.MODELS_DIR,
    homeCacheSize: e.API_HOME_CACHE_SIZE,
    homeView: e.API_HOME_VIEW,
    onlineWindowDays: e.API_ONLINE_WINDOW_DAYS,
    logLevel: e.LOG_LEVEL,
  };
}
