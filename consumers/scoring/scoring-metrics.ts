import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process (no global default registry), served on /metrics. */
export function createScoringMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'scoring_process_' });
  return {
    registry,
    scored: new Counter({
      name: 'scoring_scored_total',
      help: 'Recommendations published, by trigger and model version',
      labelNames: ['trigger', 'model_version'],
      registers: [registry],
    }),
    tombstones: new Counter({
      name: 'scoring_tombstones_total',
      help: 'Tombstones published for deleted shoppers',
      registers: [registry],
    }),
    dlq: new Counter({
      name: 'scoring_dlq_total',
      help: 'Feature messages sent to the dead-letter topic',
      labelNames: ['error_class'],
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'scoring_batch_seconds',
      help: 'Time to score and publish one batch (live: after the window closes; sweep: one transaction)',
      labelNames: ['kind'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'scoring_batch_shoppers',
      help: 'Shoppers per scored batch',
      labelNames: ['kind'],
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'scoring_consumer_lag',
      help: 'Feature messages behind the high watermark',
      labelNames: ['partition'],
      registers: [registry],
    }),
    sweepProgress: new Gauge({
      name: 'scoring_sweep_shoppers',
      help: 'Shoppers this worker has scored in the current sweep run, by partition',
      labelNames: ['run_id', 'partition'],
      registers: [registry],
    }),
    modelInfo: new Gauge({
      name: 'scoring_model_info',
      help: 'The model version in use (value 1); popularity when there is no champion',
      labelNames: ['version'],
      registers: [registry],
    }),
    shadowScored: new Counter({
      name: 'scoring_shadow_scored_total',
      help: 'Shadow recommendations published to recommendations.shadow.v1, by model version',
      labelNames: ['model_version'],
      registers: [registry],
    }),
    shadowSkipped: new Counter({
      name: 'scoring_shadow_skipped_total',
      help: 'Shoppers not shadow-scored: the shadow fell behind (it never holds up the champion) or failed',
      labelNames: ['why'],
      registers: [registry],
    }),
    transientRetries: new Counter({
      name: 'scoring_transient_retries_total',
      help: 'Retries after transient errors',
      registers: [registry],
    }),
  };
}

export type ScoringMetrics = ReturnType<typeof createScoringMetrics>;
