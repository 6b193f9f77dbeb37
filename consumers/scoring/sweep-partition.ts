import { sendInChunks } from '../shared/send-in-chunks.ts';
import type { Producer } from 'kafkajs';
import { classify } from '../../core/errors.ts';
import type { JobEvent, JobName } from '../../streams/control/job-event.ts';
import type { Trigger } from '../../streams/recommendations/recommendation.ts';
import { jobEvent, jobMessage } from '../shared/job-events.ts';
import type { PartitionProgress } from '../shared/job-ledger.ts';
import { lap, roundedPhases, type PhaseTimes } from './phase-times.ts';
import { prepareSweepBatch, stillCurrent, type SweepBatch, type SweepBatchDeps } from './sweep-batch.ts';

export interface SweepPartitionDeps extends Omit<SweepBatchDeps, 'run'> {
  /** Transactional, with a transactional id of this partition: a new owner fences the old one. */
  producer: Producer;
  recommendationsTopic: string;
  controlTopic: string;
  run: { runId: string; job: JobName; requestedBy: string; trigger: Trigger; requestedAt: number };
  worker: string;
  resume: PartitionProgress | undefined;
  stillMine: () => boolean;
  onCommitted: (e: JobEvent, batchMs: number, shoppers: number) => void;
}

/**
 * Scores one partition's shoppers of a run, in user id order, batch by batch. Each batch's
 * recommendations and its progress (last user id scanned) go out in one Kafka transaction, so a
 * worker killed at any point leaves either both or neither: the next owner resumes after the last
 * committed progress, and every shopper is scored exactly once per run.
 *
 * The next batch is read and scored while the current one's transaction is with the broker (its
 * waits are the database's and the broker's, not this thread's); it is published only after the
 * current one commits, so the order and the all-or-nothing of each batch are unchanged.
 */
export async function sweepPartition(deps: SweepPartitionDeps): Promise<'done' | 'revoked'> {
  const { partition, run } = deps;
  let scored = deps.resume?.scored ?? 0;
  const started = Date.now();
  let first = true;
  const phases: PhaseTimes = {};
  const prepare = (after: number) => {
    const batch = prepareSweepBatch(deps, after, phases);
    // A prefetched batch that is never awaited (revoked, failed) must not become an unhandled rejection.
    batch.catch(() => {});
    return batch;
  };
  let next: Promise<SweepBatch> = prepare(deps.resume?.lastUserId ?? 0);
  for (;;) {
    if (!deps.stillMine()) return 'revoked';
    const batch = await next;
    const t0 = performance.now();
    if (!batch.finished) next = prepare(batch.nextLast);
    const event = jobEvent({
      job: run.job,
      runId: run.runId,
      status: first ? 'started' : 'progress',
      requestedBy: run.requestedBy,
      worker: deps.worker,
      partitions: [partition],
      counts: { partition, lastUserId: batch.nextLast, scored: scored + batch.covered, done: batch.finished ? 1 : 0 },
      durationMs: Date.now() - started,
    });
    const tx = await deps.producer.transaction();
    try {
      const messages = stillCurrent(batch, deps.memo);
      if (messages.length) await sendInChunks(tx, deps.recommendationsTopic, messages);
      await tx.send({ topic: deps.controlTopic, acks: -1, messages: [jobMessage(event)] });
      await tx.commit();
    } catch (err) {
      await tx.abort().catch(() => {});
      if (!deps.stillMine()) return 'revoked';
      throw classify(err, `sweep ${run.runId} partition ${partition}`);
    }
    lap(phases, 'publish', t0);
    first = false;
    scored += batch.covered;
    deps.onCommitted(event, performance.now() - t0, batch.messages.length);
    if (batch.finished) {
      deps.logger.info('sweep partition done', {
        runId: run.runId,
        partition,
        scored,
        phasesMs: roundedPhases(phases),
      });
      return 'done';
    }
  }
}
