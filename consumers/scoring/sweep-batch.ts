import type { Message } from 'kafkajs';
import { classify } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import { FEATURE_VERSION, type UserFeatures } from '../../streams/features/user-features.ts';
import type { Trigger } from '../../streams/recommendations/recommendation.ts';
import { lap, type PhaseTimes } from './phase-times.ts';
import { recommendationMessage, type FreshnessMemo } from './publisher.ts';
import type { Scorer } from './scorer.ts';

export interface SweepBatchDeps {
  store: Pool;
  scorer: Scorer;
  partition: number;
  partitionOf: (userId: number) => number;
  numPartitions: number;
  batchSize: number;
  memo: FreshnessMemo;
  logger: Logger;
  /** `requestedAt`: ms since epoch, when the run was requested (see FreshnessMemo). */
  run: { runId: string; trigger: Trigger; requestedAt: number };
}

/** One batch of a partition, scored and serialized, ready to go out in one transaction. */
export interface SweepBatch {
  /** Shoppers of this partition the batch covers (scored, or skipped as already fresher). */
  covered: number;
  messages: Message[];
  /** Whose change each message scored, for the check just before it goes out. */
  sources: { userId: number; sourceTs: string }[];
  /** When its run was requested (ms since epoch): live recommendations from before do not overtake it. */
  requestedAt: number;
  /** The last user id scanned: where the next batch starts and what progress records. */
  nextLast: number;
  finished: boolean;
}

export interface Row {
  user_id: number;
  features: string;
}

async function readRows(deps: SweepBatchDeps, after: number, scan: number) {
  try {
    const [idRows] = await deps.store.query(
      'SELECT user_id FROM user_features WHERE user_id > ? ORDER BY user_id LIMIT ?',
      [after, scan],
    );
    const ids = (idRows as { user_id: number }[]).map((r) => r.user_id);
    const wanted = ids.filter((id) => deps.partitionOf(id) === deps.partition);
    const [rows] = wanted.length
      ? await deps.store.query('SELECT user_id, features FROM user_features WHERE user_id IN (?) ORDER BY user_id', [
          wanted,
        ])
      : [[]];
    return { ids, covered: wanted.length, rows: rows as Row[] };
  } catch (err) {
    throw classify(err, 'read user_features for the sweep');
  }
}

/**
 * The feature store's rows were computed and written by our own feature consumer, so the full
 * schema parse (as costly as JSON.parse itself, per row) is left to the topic's consumers; what is
 * checked is that the row is this shopper's, of this feature version, and not truncated.
 */
export function decodeStoredFeatures(rows: Row[], logger: Logger): UserFeatures[] {
  const out: UserFeatures[] = [];
  for (const r of rows) {
    let f: UserFeatures | null;
    try {
      f = JSON.parse(r.features) as UserFeatures;
    } catch {
      f = null;
    }
    if (f?.userId === r.user_id && f.featureVersion === FEATURE_VERSION && Array.isArray(f.catCounts)) out.push(f);
    else logger.warn('stored features do not parse; shopper skipped by this sweep', { userId: r.user_id });
  }
  return out;
}

/** Reads the next batch of this partition's shoppers after `after`, scores and serializes it. */
export async function prepareSweepBatch(deps: SweepBatchDeps, after: number, phases: PhaseTimes): Promise<SweepBatch> {
  const scan = deps.batchSize * deps.numPartitions;
  let t = performance.now();
  const read = await readRows(deps, after, scan);
  t = lap(phases, 'read', t);
  // A live update newer than what was read has already been published: keep it.
  const fresh = decodeStoredFeatures(read.rows, deps.logger).filter(
    (f) => !deps.memo.atLeastAsNew(f.userId, f.sourceTs, deps.run.requestedAt),
  );
  lap(phases, 'parse', t);
  const { trigger, runId } = deps.run;
  const recs = await deps.scorer.score(
    fresh.map((features) => ({ features, trigger, runId })),
    phases,
  );
  t = performance.now();
  const messages = recs.map((r) => recommendationMessage(r.userId, r));
  lap(phases, 'serialize', t);
  return {
    covered: read.covered,
    messages,
    sources: recs.map((r) => ({ userId: r.userId, sourceTs: r.sourceTs })),
    requestedAt: deps.run.requestedAt,
    nextLast: read.ids.at(-1) ?? after,
    finished: read.ids.length < scan,
  };
}

/**
 * The batch's messages less those a live recommendation overtook while the batch was scored or
 * waited for the previous transaction: on the compacted topic the last value per shopper must be
 * the newest, as it is in the materialized table.
 */
export function stillCurrent(batch: SweepBatch, memo: FreshnessMemo): Message[] {
  const keep = batch.sources.map((s) => !memo.atLeastAsNew(s.userId, s.sourceTs, batch.requestedAt));
  return keep.every(Boolean) ? batch.messages : batch.messages.filter((_, i) => keep[i]);
}
