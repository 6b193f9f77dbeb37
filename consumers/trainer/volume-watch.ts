import type { Logger } from '../../core/logger.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import type { Registry } from '../../model/registry/registry.ts';
import type { TrainerConfig } from './config.ts';
import { jobEvent, type JobPublisher } from './job-publisher.ts';
import type { TrainerMetrics } from './trainer-metrics.ts';
import { checkVolume } from './volume-trigger.ts';

export interface VolumeWatchDeps {
  config: TrainerConfig;
  pool: Pool;
  registry: Registry;
  jobs: JobPublisher;
  logger: Logger;
  metrics: TrainerMetrics;
  busy(): boolean;
  taken(runId: string): boolean;
}

/**
 * Every RETRAIN_VOLUME_CHECK_MS, counts the orders since the newest model and requests a retrain
 * on the control topic once RETRAIN_AFTER_ORDERS is reached. It only publishes a request, so a
 * volume run is recorded, de-duplicated and reported like any other.
 */
export function startVolumeWatch(deps: VolumeWatchDeps): { stop(): void } {
  const { afterOrders, volumeCheckMs } = deps.config;
  if (afterOrders <= 0) return { stop: () => {} };
  let checking = false;
  const requested = new Set<string>();
  const check = async () => {
    if (checking || deps.busy()) return;
    checking = true;
    try {
      const { count, runId } = await checkVolume({ pool: deps.pool, registry: deps.registry, afterOrders });
      deps.metrics.ordersSinceModel.set(count);
      if (!runId || requested.has(runId) || deps.taken(runId)) return;
      requested.add(runId);
      deps.logger.info('order volume reached: requesting a retrain', { runId, orders: count, afterOrders });
      await deps.jobs.publish(jobEvent({ job: 'retrain', runId, status: 'requested', requestedBy: 'volume' }));
    } catch (err) {
      deps.logger.warn('volume check failed; next check in a while', { err });
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), volumeCheckMs);
  void check();
  return { stop: () => clearInterval(timer) };
}
