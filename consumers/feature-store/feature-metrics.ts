import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process (no global default registry), served on /metrics. */
export function createFeatureMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'features_process_' });
  return {
    registry,
    applied: new Counter({
      name: 'features_events_applied_total',
      help: 'CDC events applied to the feature store',
      labelNames: ['topic'],
      registers: [registry],
    }),
    dlq: new Counter({
      name: 'features_dlq_total',
      help: 'Events sent to a dead-letter topic',
      labelNames: ['topic', 'error_class'],
      registers: [registry],
    }),
    published: new Counter({
      name: 'features_published_total',
      help: 'Feature versions published to features.user.v1',
      registers: [registry],
    }),
    recomputed: new Counter({
      name: 'features_recomputed_total',
      help: 'Shoppers recomputed from the recompute queue (one per shopper per drain, however many events touched them)',
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'features_batch_seconds',
      help: 'Time to apply, publish and commit one chunk of a batch',
      labelNames: ['topic'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'features_consumer_lag',
      help: 'Messages behind the high watermark',
      labelNames: ['topic', 'partition'],
      registers: [registry],
    }),
    pending: new Gauge({
      name: 'features_pending_refs',
      help: 'Events waiting for a referenced row',
      registers: [registry],
    }),
    positionRegressions: new Counter({
      name: 'features_source_position_regressions_total',
      help: 'Changes whose binlog position went backwards within a source epoch (kind=position) or whose epoch did (kind=epoch)',
      labelNames: ['topic', 'kind'],
      registers: [registry],
    }),
    retries: new Counter({
      name: 'features_transient_retries_total',
      help: 'Retries after transient errors',
      registers: [registry],
    }),
  };
}

export type FeatureMetrics = ReturnType<typeof createFeatureMetrics>;
