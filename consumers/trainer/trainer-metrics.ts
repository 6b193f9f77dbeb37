import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process, served on /metrics. */
export function createTrainerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'trainer_process_' });
  return {
    registry,
    runs: new Counter({
      name: 'trainer_runs_total',
      help: 'Retrain runs by outcome: promoted, candidate (kept by the gate) or failed',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    runSeconds: new Histogram({
      name: 'trainer_run_seconds',
      help: 'Duration of one retrain run: data, training, both scorings and the decision',
      buckets: [10, 30, 60, 120, 300, 600, 1800, 3600, 7200],
      registers: [registry],
    }),
    ordersSinceModel: new Gauge({
      name: 'trainer_orders_since_model',
      help: 'Orders placed since the newest model was trained (the volume trigger compares it)',
      registers: [registry],
    }),
  };
}

export type TrainerMetrics = ReturnType<typeof createTrainerMetrics>;
