import { Cron } from 'croner';
import { Counter, Registry } from 'prom-client';
import { createKafka } from '../../core/kafka.ts';
import type { Logger } from '../../core/logger.ts';
import { serveMetrics } from '../../core/metrics-server.ts';
import type { Running } from '../../core/run-main.ts';
import type { JobName } from '../../streams/control/job-event.ts';
import { createControlFollower } from '../shared/control-follower.ts';
import { jobEvent, jobMessage } from '../shared/job-events.ts';
import type { SchedulerConfig } from './config.ts';
import { missedRun, scheduledRunId } from './run-ids.ts';

export interface RunningScheduler extends Running {
  /** Run ids requested on start because their occurrence was missed. */
  caughtUp: string[];
}

/**
 * Publishes `requested` commands on schedule and nothing else; the workers do the work and
 * report on the same topic. Durable state lives there, not here: on start it reads the topic and
 * requests a missed occurrence again.
 */
export async function startScheduler(config: SchedulerConfig, logger: Logger): Promise<RunningScheduler> {
  const registry = new Registry();
  const requested = new Counter({
    name: 'scheduler_requested_total',
    help: 'Commands published, by job and who asked (schedule, catch-up)',
    labelNames: ['job', 'requested_by'],
    registers: [registry],
  });
  const kafka = createKafka({ clientId: 'scheduler', brokers: config.brokers, logger });
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true });
  const follower = createControlFollower({ kafka, topic: config.controlTopic, groupPrefix: 'scheduler', logger });
  await follower.start();
  await producer.connect();
  const request = async (job: JobName, runId: string, requestedBy: string) => {
    await producer.send({
      topic: config.controlTopic,
      acks: -1,
      messages: [jobMessage(jobEvent({ job, runId, status: 'requested', requestedBy }))],
    });
    requested.inc({ job, requested_by: requestedBy });
    logger.info('requested', { job, runId, requestedBy });
  };
  const crons = config.jobs.map(
    (j) =>
      new Cron(j.cron, { timezone: config.timezone, protect: true, name: j.job, paused: true }, async (self: Cron) => {
        await request(j.job, scheduledRunId(j.job, self.currentRun() ?? new Date()), 'schedule').catch((err: Error) =>
          logger.error('could not publish a scheduled command', { job: j.job, error: err }),
        );
      }),
  );
  const caughtUp: string[] = [];
  if (config.catchUp) {
    await follower.caughtUp();
    for (const [i, j] of config.jobs.entries()) {
      const runId = missedRun(j.job, crons[i]!.previousRuns(1, new Date())[0] ?? null, follower.ledger);
      if (runId) {
        await request(j.job, runId, 'catch-up');
        caughtUp.push(runId);
      }
    }
  }
  crons.forEach((c) => c.resume());
  const server = config.metricsPort ? await serveMetrics(registry, config.metricsPort) : undefined;
  logger.info('scheduler started', {
    jobs: config.jobs.map((j, i) => ({ ...j, next: crons[i]!.nextRun()?.toISOString() ?? null })),
    caughtUp,
  });
  return {
    caughtUp,
    async stop() {
      crons.forEach((c) => c.stop());
      server?.close();
      await follower.stop();
      await producer.disconnect();
    },
  };
}
