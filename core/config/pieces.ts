import { z } from 'zod';
import { dbFromUrl } from './db-url.ts';

/**
 * The shared pieces every process's config is built from, with the one set of defaults. A process
 * config is `z.object({ ...databaseEnv, ...kafkaEnv, ...loggingEnv, ...its own })` parsed by loadEnv.
 */
export const port = z.coerce.number().int().min(1).max(65535);
export const optionalPort = z.coerce.number().int().min(0).max(65535);
export const logLevel = z.enum(['debug', 'info', 'warn', 'error']);
export const boolFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const DEFAULT_DATABASE_URL = 'mysql://shop_app@127.0.0.1:3307/shop';
export const DEFAULT_BROKERS = '127.0.0.1:9092';

/** The shop database, as the app's least-privilege user. */
export const databaseEnv = {
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .transform((url, ctx) => {
      try {
        return dbFromUrl(url);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
};

export const kafkaEnv = {
  KAFKA_BROKERS: z
    .string()
    .default(DEFAULT_BROKERS)
    .transform((s) =>
      s
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[\w.-]+:\d+$/, 'host:port')).min(1)),
};

export const loggingEnv = { LOG_LEVEL: logLevel.default('info') };

/** Where a process serves /metrics and /healthz; 0 turns it off. Defaults live in app-ports.ts. */
export function metricsPortEnv<N extends string>(name: N, fallback: number) {
  return { [name]: optionalPort.default(fallback) } as { [K in N]: z.ZodDefault<typeof optionalPort> };
}
