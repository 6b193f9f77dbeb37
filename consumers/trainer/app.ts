import { ensureTopics } from '../../streams/ensure-topics.ts';
import { modelsTopic } from '../../streams/models/model-event.ts';
import { createKafka } from '../../core/kafka.ts';
import type { Logger } from '../../core/logger.ts';
import { serveMetrics } from '../../core/metrics-server.ts';
import type { Running } from '../../core/run-main.ts';
import { tailTopic } from '../../core/topic-tail.ts';
import { createPool } from '../../prisma/db/pool.ts';
import { createModelEventPublisher } from '../../model/registry/model-event-publisher.ts';
import { statusEvent } from '../../model/registry/model-events.ts';
import { createRegistryTable } from '../../model/registry/mysql-table.ts';
import { createRegistry } from '../../model/registry/registry.ts';
import { jobEventSchema, jobsTopic } from '../../streams/control/job-event.ts';
import type { TrainerConfig } from './config.ts';
import { createJobLog } from './job-log.ts';
import { createJobPublisher, jobEvent, workerName } from './job-publisher.ts';
import { runRetrain, type RetrainDeps } from './retrain-run.ts';
import { createRunQueue } from './run-queue.ts';
import { trainInChild } from './train-in-child.ts';
import { createTrainerMetrics } from './trainer-metrics.ts';
import { startVolumeWatch } from './volume-watch.ts';

export interface RunningTrainer extends Running {
  metricsPort?: number;
  /** Settles when no run is queued or running (tests). */
  idle(): Promise<void>;
}

/** Wires one trainer process: registry, publishers, the control-topic tail, the run queue, the volume watch. */
export async function startTrainer(config: TrainerConfig, logger: Logger): Promise<RunningTrainer> {
  const pool = createPool(config.shop, { connectionLimit: 2 });
  const registry = createRegistry({ dir: config.modelsDir, table: createRegistryTable({ pool }) });
  const kafka = createKafka({ clientId: 'trainer', brokers: config.brokers, logger });
  const jobs = createJobPublisher({ kafka, topic: config.controlTopic });
  const models = createModelEventPublisher({ kafka, topic: config.modelsTopic });
  const metrics = createTrainerMetrics();
  // The trainer may be the first process to touch these topics on a fresh stack.
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, [
      { name: config.controlTopic, cleanupPolicy: jobsTopic.cleanupPolicy },
      { name: config.modelsTopic, cleanupPolicy: modelsTopic.cleanupPolicy },
    ]);
  } finally {
    await admin.disconnect();
  }
  const deps: RetrainDeps = {
    config,
    pool,
    registry,
    jobs,
    models,
    logger,
    train: (job, onEpoch) => trainInChild(job, { logger, niceness: config.niceness, onEpoch }),
    shadowEvent: config.shadowRejected
      ? (meta, d) =>
          statusEvent(meta, {
            event: 'shadow-started',
            status: 'shadow',
            reason: `in shadow beside the champion after the gate kept it a candidate: ${d.reason}`,
            comparedWith: null,
            decidedBy: 'trainer',
            at: new Date(),
          })
      : undefined,
  };
  const log = createJobLog('retrain');
  const queue = createRunQueue({
    log,
    logger,
    run: async (request) => {
      const end = metrics.runSeconds.startTimer();
      try {
        const r = await runRetrain(deps, request);
        metrics.runs.inc({ outcome: r.promoted ? 'promoted' : 'candidate' });
      } catch (err) {
        metrics.runs.inc({ outcome: 'failed' });
        throw err;
      } finally {
        end();
      }
    },
  });
  let caughtUp = false;
  const tail = await tailTopic({
    kafka,
    topic: config.controlTopic,
    groupPrefix: 'trainer',
    fromBeginning: true,
    onMessage: (m) => {
      if (!m.value) return;
      const parsed = jobEventSchema.safeParse(parseJson(m.value.toString('utf8')));
      if (!parsed.success) return logger.warn('unreadable control event skipped', { key: m.key?.toString() });
      log.apply(parsed.data);
      if (caughtUp && parsed.data.job === 'retrain' && parsed.data.status === 'requested') queue.offer(parsed.data);
    },
  }).catch(async (err) => {
    await pool.end();
    throw err;
  });
  await tail.caughtUp;
  caughtUp = true;
  await failInterrupted(log, jobs, logger);
  for (const r of log.pending()) queue.offer(r);
  const watch = startVolumeWatch({ config, pool, registry, jobs, logger, metrics, busy: queue.busy, taken: log.taken });
  const server = config.metricsPort ? await serveMetrics(metrics.registry, config.metricsPort) : undefined;
  return {
    metricsPort: server ? (server.address() as { port: number }).port : undefined,
    idle: () => queue.idle(),
    async stop() {
      watch.stop();
      await tail.stop();
      server?.close();
      await Promise.all([jobs.close(), models.close()]);
      await pool.end();
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A run that started and never finished belonged to a trainer that died: say so, and do not rerun it. */
async function failInterrupted(
  log: ReturnType<typeof createJobLog>,
  jobs: ReturnType<typeof createJobPublisher>,
  logger: Logger,
): Promise<void> {
  for (const s of log.interrupted()) {
    logger.warn('marking an interrupted retrain failed', { runId: s.runId });
    const e = jobEvent({
      job: 'retrain',
      runId: s.runId,
      status: 'failed',
      requestedBy: s.request?.requestedBy ?? 'unknown',
      worker: workerName(),
      reason: 'interrupted: the trainer stopped before the run finished; request a new run',
    });
    await jobs.publish(e);
    log.apply(e);
  }
}
