import { sendInChunks } from '../shared/send-in-chunks.ts';
import type { Producer } from 'kafkajs';
import type { Logger } from '../../core/logger.ts';
import { classify } from '../../core/errors.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import type { JobEvent, JobName } from '../../streams/control/job-event.ts';
import { userFeaturesSchema, type UserFeatures } from '../../streams/features/user-features.ts';
import type { Trigger } from '../../streams/recommendations/recommendation.ts';
import { jobEvent, jobMessage } from '../shared/job-events.ts';
import type { PartitionProgress } from '../shared/job-ledger.ts';
import { recommendationMessage, type FreshnessMemo } from './publisher.ts';
import type { Scorer } from './scorer.ts';

export interface SweepPartitionDeps {
  store: Pool;
  scorer: Scorer;
  /** Transactional, with a transactional id of this partition: a new owner fences the old one. */
  producer: Producer;
  recommendationsTopic: string;
  controlTopic: string;
  run: { runId: string; job: JobName; requestedBy: string; trigger: Trigger };
  partition: number;
  partitionOf: (userId: number) => number;
  numPartitions: number;
  batchSize: number;
  worker: string;
  resume: PartitionProgress | undefined;
  stillMine: () => boolean;
  memo: FreshnessMemo;
  logger: Logger;
  onCommitted: (e: JobEvent, batchMs: number, shoppers: number) => void;
}

async function readBatch(store: Pool, after: number, scan: number, mine: (id: number) => boolean) {
  try {
    const [idRows] = await store.query('SELECT user_id FROM user_features WHERE user_id > ? ORDER BY user_id LIMIT ?', [
      after,
      scan,
    ]);
    const ids = (idRows as { user_id: number }[]).map((r) => r.user_id);
    const wanted = ids.filter(mine);
    const [rows] = wanted.length
      ? await store.query('SELECT features FROM user_features WHERE user_id IN (?) ORDER BY user_id', [wanted])
      : [[]];
    return { ids, covered: wanted.length, rows: rows as { features: string }[] };
  } catch (err) {
    throw classify(err, 'read user_features for the sweep');
  }
}

/**
 * Scores one partition's shoppers of a run, in user id order, batch by batch. Each batch's
 * recommendations and its progress (last user id scanned) go out in one Kafka transaction, so a
 * worker killed at any point leaves either both or neither: the next owner resumes after the last
 * committed progress, and every shopper is scored exactly once per run.
 */
export async function sweepPartition(deps: SweepPartitionDeps): Promise<'done' | 'revoked'> {
  const { partition, run } = deps;
  let last = deps.resume?.lastUserId ?? 0;
  let scored = deps.resume?.scored ?? 0;
  const started = Date.now();
  let first = true;
  for (;;) {
    if (!deps.stillMine()) return 'revoked';
    const t0 = performance.now();
    const scan = deps.batchSize * deps.numPartitions;
    const batch = await readBatch(deps.store, last, scan, (id) => deps.partitionOf(id) === partition);
    const features: UserFeatures[] = [];
    for (const r of batch.rows) {
      const parsed = userFeaturesSchema.safeParse(JSON.parse(r.features));
      if (parsed.success) features.push(parsed.data);
      else
        deps.logger.warn('stored features do not parse; shopper skipped by this sweep', {
          issue: parsed.error.issues[0],
        });
    }
    // A live update newer than what was read has already been published: keep it.
    const fresh = features.filter((f) => !deps.memo.newerThan(f.userId, f.sourceTs));
    const recs = await deps.scorer.score(fresh.map((f) => ({ features: f, trigger: run.trigger, runId: run.runId })));
    const finished = batch.ids.length < scan;
    const nextLast = batch.ids.at(-1) ?? last;
    const event = jobEvent({
      job: run.job,
      runId: run.runId,
      status: first ? 'started' : 'progress',
      requestedBy: run.requestedBy,
      worker: deps.worker,
      partitions: [partition],
      counts: { partition, lastUserId: nextLast, scored: scored + batch.covered, done: finished ? 1 : 0 },
      durationMs: Date.now() - started,
    });
    const tx = await deps.producer.transaction();
    try {
      if (recs.length)
        await sendInChunks(
          tx,
          deps.recommendationsTopic,
          recs.map((r) => recommendationMessage(r.userId, r)),
        );
      await tx.send({ topic: deps.controlTopic, acks: -1, messages: [jobMessage(event)] });
      await tx.commit();
    } catch (err) {
      await tx.abort().catch(() => {});
      if (!deps.stillMine()) return 'revoked';
      throw classify(err, `sweep ${run.runId} partition ${partition}`);
    }
    first = false;
    scored += batch.covered;
    last = nextLast;
    deps.onCommitted(event, performance.now() - t0, recs.length);
    if (finished) return 'done';
  }
}
