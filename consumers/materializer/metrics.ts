import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Freshness buckets (seconds): the target is p50 ≤ 0.25 s and p99 ≤ 1 s from order commit. */
export const FRESHNESS_BUCKETS = [0.05, 0.1, 0.15, 0.2, 0.25, 0.35, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30];

export function createMaterializerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'materializer_process_' });
  return {
    registry,
    written: new Counter({
      name: 'materializer_rows_written_total',
      help: 'Rows of recommendation_current inserted, updated or deleted',
      labelNames: ['op'],
      registers: [registry],
    }),
    stale: new Counter({
      name: 'materializer_stale_skipped_total',
      help: 'Recommendations not applied because the table already held a newer one',
      registers: [registry],
    }),
    dlq: new Counter({
      name: 'materializer_dlq_total',
      help: 'Malformed recommendations sent to the dead-letter topic',
      registers: [registry],
    }),
    freshness: new Histogram({
      name: 'recommendation_freshness_seconds',
      help: 'Recommendation visible in recommendation_current minus the shop commit that caused it (trigger order)',
      buckets: FRESHNESS_BUCKETS,
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'materializer_consumer_lag',
      help: 'Messages behind the high watermark',
      labelNames: ['partition'],
      registers: [registry],
    }),
  };
}

export type MaterializerMetrics = ReturnType<typeof createMaterializerMetrics>;
