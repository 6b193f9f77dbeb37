import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from '../../core/logger.ts';
import { retryTransient } from '../../core/retry.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import type { JobEvent } from '../../streams/control/job-event.ts';
import type { Trigger } from '../../streams/recommendations/recommendation.ts';
import type { ControlFollower } from '../shared/control-follower.ts';
import { jobEvent, jobMessage, workerName } from '../shared/job-events.ts';
import type { RunState } from '../shared/job-ledger.ts';
import { createPartitionOf } from './partition-of.ts';
import type { FreshnessMemo } from './publisher.ts';
import type { Scorer } from './scorer.ts';
import type { ScoringMetrics } from './scoring-metrics.ts';
import { sweepPartition } from './sweep-partition.ts';

export const SWEEP_JOBS = ['daily-sweep', 'rescore'] as const;

export interface SweepCoordinatorDeps {
  kafka: Kafka;
  /** Plain producer for run-level done/failed. */
  producer: Producer;
  follower: ControlFollower;
  store: Pool;
  scorer: Scorer;
  groupId: string;
  featuresTopic: string;
  recommendationsTopic: string;
  controlTopic: string;
  numPartitions: number;
  batchSize: number;
  memo: FreshnessMemo;
  metrics: ScoringMetrics;
  logger: Logger;
}

export interface SweepCoordinator {
  setAssignment(partitions: number[]): void;
  onEvent(e: JobEvent): void;
  /** Resolves when nothing is left to sweep for the partitions held now (tests, shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const triggerOf = (run: RunState): Trigger =>
  run.job === 'daily-sweep' ? 'sweep' : run.requestedBy === 'model-change' ? 'model-change' : 'command';

/**
 * Runs sweep and rescore commands on the partitions of features.user.v1 this instance holds.
 * Runs are swept one at a time, oldest request first; a partition taken over after a rebalance
 * (its old owner died) is resumed from the last progress that owner committed.
 */
export function createSweepCoordinator(deps: SweepCoordinatorDeps): SweepCoordinator {
  const { ledger } = deps.follower;
  const partitionOf = createPartitionOf(deps.numPartitions);
  const worker = workerName();
  const producers = new Map<number, Producer>();
  const tookPart = new Set<string>();
  let assigned = new Set<number>();
  let running = true;
  let pumping: Promise<void> | null = null;
  let again = false;

  const txProducer = async (p: number): Promise<Producer> => {
    let producer = producers.get(p);
    if (producer) return producer;
    producer = deps.kafka.producer({
      transactionalId: `${deps.groupId}-sweep-${deps.featuresTopic}-p${p}`,
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    // Registering the transactional id fences a previous owner and aborts its open transaction.
    const tx = await producer.transaction();
    await tx.abort();
    producers.set(p, producer);
    return producer;
  };
  const dropProducer = async (p: number) => {
    await producers
      .get(p)
      ?.disconnect()
      .catch(() => {});
    producers.delete(p);
  };
  const publish = (e: JobEvent) =>
    deps.producer.send({ topic: deps.controlTopic, acks: -1, messages: [jobMessage(e)] });

  const maybeFinish = async (run: RunState) => {
    if (run.done || run.failed || !tookPart.has(run.runId) || !ledger.allPartitionsDone(run.runId, deps.numPartitions))
      return;
    const shoppers = [...run.partitions.values()].reduce((a, p) => a + p.scored, 0);
    const durationMs = Math.max(
      1,
      Date.now() - Date.parse(run.startedAt ?? run.requestedAt ?? new Date().toISOString()),
    );
    const done = jobEvent({
      job: run.job,
      runId: run.runId,
      status: 'done',
      requestedBy: run.requestedBy ?? '',
      worker,
      partitions: Array.from({ length: deps.numPartitions }, (_, i) => i),
      counts: {
        shoppers,
        partitions: deps.numPartitions,
        shoppersPerSecond: Math.round((shoppers / durationMs) * 1000),
      },
      durationMs,
    });
    await publish(done);
    ledger.apply(done);
    deps.logger.info('sweep done', { runId: run.runId, shoppers, durationMs });
  };

  const sweepOne = async (run: RunState, p: number) => {
    const producer = await txProducer(p);
    await deps.follower.caughtUp();
    if (ledger.run(run.runId)?.partitions.get(p)?.done) return;
    tookPart.add(run.runId);
    const outcome = await sweepPartition({
      ...deps,
      producer,
      run: {
        runId: run.runId,
        job: run.job,
        requestedBy: run.requestedBy ?? '',
        trigger: triggerOf(run),
        requestedAt: Date.parse(run.requestedAt ?? '') || Date.now(),
      },
      partition: p,
      partitionOf,
      worker: `${worker}#p${p}`,
      resume: ledger.run(run.runId)?.partitions.get(p),
      stillMine: () => running && assigned.has(p),
      onCommitted: (e, ms, n) => {
        ledger.apply(e);
        deps.metrics.batchSeconds.observe({ kind: 'sweep' }, ms / 1000);
        deps.metrics.batchSize.observe({ kind: 'sweep' }, n);
        deps.metrics.sweepProgress.set({ run_id: run.runId, partition: String(p) }, e.counts?.scored ?? 0);
        deps.metrics.scored.inc({ trigger: triggerOf(run), model_version: 'sweep' }, n);
      },
    });
    if (outcome === 'revoked') await dropProducer(p);
  };

  const sweepRun = async (run: RunState) => {
    for (const p of [...assigned].sort((a, b) => a - b)) {
      if (!running || !assigned.has(p) || ledger.run(run.runId)?.partitions.get(p)?.done) continue;
      try {
        await retryTransient(`sweep ${run.runId} p${p}`, () => sweepOne(run, p), {
          logger: deps.logger,
          keepGoing: () => running,
        });
      } catch (err) {
        await dropProducer(p);
        if (!running) return;
        const failed = jobEvent({
          job: run.job,
          runId: run.runId,
          status: 'failed',
          requestedBy: run.requestedBy ?? '',
          worker,
          partitions: [p],
          reason: (err as Error).message,
        });
        deps.logger.error('sweep failed', { runId: run.runId, partition: p, error: err as Error });
        await publish(failed);
        ledger.apply(failed);
        return;
      }
    }
    await maybeFinish(ledger.run(run.runId)!);
  };

  const pump = (): Promise<void> => {
    if (pumping) {
      again = true;
      return pumping;
    }
    pumping = (async () => {
      do {
        again = false;
        for (const run of ledger.unfinished(SWEEP_JOBS)) if (running) await sweepRun(run);
      } while (again && running);
    })()
      .catch((err: Error) => deps.logger.error('sweep loop failed', { error: err }))
      .finally(() => (pumping = null));
    return pumping;
  };

  return {
    setAssignment(partitions) {
      const next = new Set(partitions);
      for (const p of producers.keys()) if (!next.has(p)) void dropProducer(p);
      assigned = next;
      void pump();
    },
    onEvent(e) {
      if (!(SWEEP_JOBS as readonly string[]).includes(e.job)) return;
      if (e.status === 'requested') void pump();
      else if (e.status === 'progress' || e.status === 'started') {
        const run = ledger.run(e.runId);
        if (run)
          void maybeFinish(run).catch((err: Error) => deps.logger.warn('could not report sweep done', { error: err }));
      }
    },
    idle: async () => {
      while (pumping) await pumping;
    },
    async stop() {
      running = false;
      await pumping;
      for (const p of [...producers.keys()]) await dropProducer(p);
    },
  };
}
