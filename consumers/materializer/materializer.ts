import { Partitioners, type EachBatchPayload, type Kafka } from 'kafkajs';
import { ValidationError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { retryTransient } from '../../core/retry.ts';
import { commitGuarded, underGuard, type HeartbeatGuard } from '../../core/heartbeat-guard.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import { inTransaction } from '../../prisma/db/transaction.ts';
import type { Rejection } from '../shared/dlq.ts';
import { sendDeadLetters } from '../shared/dlq-batches.ts';
import { toInbound, type InboundMessage } from '../shared/inbound-message.ts';
import { decodeRecommendation, latestPerUser, type Change } from './decode.ts';
import type { MaterializerMetrics } from './metrics.ts';
import { deleteRecommendations, upsertRecommendations } from './upsert.ts';
import { FETCH_MAX_WAIT_MS, GROUP_MEMBER_RETRY } from '../../core/kafka.ts';

export interface MaterializerDeps {
  kafka: Kafka;
  pool: Pool;
  topic: string;
  groupId: string;
  metrics: MaterializerMetrics;
  logger: Logger;
  chunkSize?: number;
  fromBeginning?: boolean;
  now?: () => number;
}

export interface Materializer {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Rejects if the consumer stops for good (a non-retriable failure): the process must exit. */
  readonly crashed: Promise<never>;
}

function decodeAll(msgs: InboundMessage[]): { changes: Change[]; rejected: Rejection[] } {
  const changes: Change[] = [];
  const rejected: Rejection[] = [];
  for (const msg of msgs) {
    try {
      changes.push(decodeRecommendation(msg));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      rejected.push({ msg, reason: err.message, errorClass: err.name });
    }
  }
  return { changes, rejected };
}

/**
 * recommendations.v1 → recommendation_current. Per chunk: decode (malformed → DLQ), keep the newest
 * value per shopper, upsert with the newer-wins guard in one transaction, then commit the offset.
 * Redelivery and replay from the beginning therefore converge on the same table.
 */
export function createMaterializer(deps: MaterializerDeps): Materializer {
  const { kafka, logger, metrics } = deps;
  const now = deps.now ?? Date.now;
  const consumer = kafka.consumer({
    groupId: deps.groupId,
    maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
    sessionTimeout: 10_000,
    retry: GROUP_MEMBER_RETRY,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: true, createPartitioner: Partitioners.DefaultPartitioner });
  let crash: (err: Error) => void = () => {};
  const crashed = new Promise<never>((_, reject) => (crash = reject));
  crashed.catch(() => {});

  const apply = (changes: Change[]) =>
    inTransaction(deps.pool, async (conn) => {
      const latest = latestPerUser(changes);
      const upserts = latest.flatMap((c) => (c.kind === 'upsert' ? [c.value] : []));
      const deletes = latest.flatMap((c) => (c.kind === 'delete' ? [c.userId] : []));
      const affected = await upsertRecommendations(conn, upserts);
      const deleted = await deleteRecommendations(conn, deletes);
      return { upserts, affected, deleted };
    });

  const handleChunk = async (p: EachBatchPayload, chunk: InboundMessage[], beat: HeartbeatGuard) => {
    const retry = { logger, onWait: beat.onWait, keepGoing: () => p.isRunning() && !p.isStale() && !beat.lost() };
    const { changes, rejected } = decodeAll(chunk);
    const { upserts, affected, deleted } = await retryTransient('materialize', () => apply(changes), retry);
    const visibleAt = now();
    if (rejected.length) {
      const at = new Date(visibleAt);
      await retryTransient('send to DLQ', () => sendDeadLetters(producer, rejected, deps.groupId, at), retry);
      metrics.dlq.inc(rejected.length);
      for (const r of rejected) logger.warn('dead-lettered', { offset: r.msg.offset, reason: r.reason });
    }
    const next = (BigInt(chunk.at(-1)!.offset) + 1n).toString();
    const { topic, partition } = p.batch;
    await commitGuarded(consumer, beat, { topic, partition, offset: next }, retry);
    p.resolveOffset(chunk.at(-1)!.offset);
    metrics.written.inc({ op: 'upsert' }, upserts.length);
    metrics.written.inc({ op: 'delete' }, deleted);
    for (const r of upserts) {
      if (r.trigger === 'order') metrics.freshness.observe(Math.max(0, visibleAt - Date.parse(r.sourceTs)) / 1000);
    }
    // affectedRows: 1 per insert, 2 per changed row, 0 per row the guard kept.
    metrics.stale.inc(Math.max(0, upserts.length - Math.ceil(affected / 2)));
  };

  const eachBatch = async (p: EachBatchPayload) => {
    const { topic, partition, messages } = p.batch;
    const size = deps.chunkSize ?? 1_000;
    for (let i = 0; i < messages.length; i += size) {
      if (!p.isRunning() || p.isStale()) return;
      const chunk = messages.slice(i, i + size).map((m) => toInbound(topic, partition, m));
      await underGuard(p.heartbeat, (beat) => handleChunk(p, chunk, beat));
      await p.heartbeat();
    }
    const lag = BigInt(p.batch.highWatermark) - BigInt(messages.at(-1)?.offset ?? '-1') - 1n;
    metrics.lag.set({ partition: String(partition) }, Math.max(0, Number(lag)));
  };

  return {
    crashed,
    async start() {
      consumer.on(consumer.events.CRASH, (e) => {
        if (!e.payload.restart) crash(new Error('materializer consumer stopped', { cause: e.payload.error }));
      });
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topics: [deps.topic], fromBeginning: deps.fromBeginning ?? true });
      // Partitions hold disjoint shoppers: their upserts never touch the same row, so run them side by side.
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 3,
        eachBatch,
      });
      logger.info('materializer started', { group: deps.groupId, topic: deps.topic });
    },
    async stop() {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}
