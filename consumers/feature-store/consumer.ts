import { FatalError } from '../../core/errors.ts';
import { Partitioners, type Consumer, type EachBatchPayload, type Kafka, type Producer } from 'kafkajs';
import type { Pool } from '../../prisma/db/pool.ts';
import type { CdcTopics } from '../../streams/cdc/topics.ts';
import type { Logger } from '../../core/logger.ts';
import { applyBatch, storeTransaction, type BatchDeps, type BatchOutcome } from './apply-batch.ts';
import type { Rejection } from '../shared/dlq.ts';
import { sendDeadLetters } from '../shared/dlq-batches.ts';
import { sendInChunks } from '../shared/send-in-chunks.ts';
import { keyId, refKindOf, toInbound, type InboundMessage } from './inbound.ts';
import type { FeatureMetrics } from './feature-metrics.ts';
import { anyPending, pendingCount, settleArrived, sweepPending } from './pending.ts';
import { queueRecompute, recomputeQueued } from './recompute-queue.ts';
import { createRecomputer } from './recomputer.ts';
import { createOutboxPublisher } from './outbox-publisher.ts';
import { createSettler } from './settler.ts';
import { createPositionWatch } from './position-watch.ts';
import { createTopicProgress } from './topic-progress.ts';
import { retryTransient } from '../../core/retry.ts';
import { createLiveness, watchConsumer } from '../../core/consumer-liveness.ts';
import { commitGuarded, guardHeartbeat, type HeartbeatGuard } from '../../core/heartbeat-guard.ts';
import type { HealthCheck } from '../../core/metrics-server.ts';
import { FETCH_MAX_WAIT_MS, GROUP_MEMBER_RETRY } from '../../core/kafka.ts';

export interface FeatureConsumerDeps {
  kafka: Kafka;
  pool: Pool;
  topics: CdcTopics;
  groupId: string;
  featuresTopic: string;
  batch: Omit<BatchDeps, 'pool' | 'topics'>;
  metrics: FeatureMetrics;
  logger: Logger;
  publish: boolean;
  pendingGraceMs: number;
  sweepIntervalMs?: number;
  chunkSize?: number;
  partitionsConsumedConcurrently?: number;
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  /** Replays leave dead-lettering to the live consumer that first saw the event; they only count. */
  deadLetter?: boolean;
  /** Called after each committed chunk: the next offset of that partition and how many were applied. */
  onCommitted?: (topic: string, partition: number, nextOffset: bigint, applied: number, rejected: number) => void;
  /** Settle the references a chunk brought right after it commits (default true; off: only the timer). */
  settleOnCommit?: boolean;
  /** Replays sweep once at the end instead of on a timer. */
  sweepOnTimer?: boolean;
  /** With lag, how long without a committed chunk before /healthz says unhealthy. */
  stallMs?: number;
  /** See createRecomputer's gatherMs (default 0: drain at the first kick). */
  recomputeGatherMs?: number;
  /** See BatchDeps.awaitLinesMs (default 0: recompute a new order at once, lines or not). */
  awaitLinesMs?: number;
}

export interface FeatureConsumer {
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Settle arrived references, recompute queued shoppers and send due dead-letters now (the
   * consumer also does this every 250 ms).
   */
  sweep(): Promise<number>;
  readonly producer: Producer;
  readonly consumer: Consumer;
  /** Rejects when kafkajs has stopped consuming for good (a fatal error left eachBatch). */
  readonly crashed: Promise<never>;
  readonly health: HealthCheck;
}

/**
 * The feature-store consumer. Per chunk of a batch: apply in one DB transaction, send
 * rejections to the DLQ, and only then commit the Kafka offset; the feature rows the transaction
 * queued in the outbox are published after it, in order (outbox.ts).
 * A crash anywhere replays the chunk, and replaying it changes nothing (see base-state.ts).
 */
export function createFeatureConsumer(deps: FeatureConsumerDeps): FeatureConsumer {
  const { kafka, logger, metrics } = deps;
  const sessionTimeout = deps.sessionTimeoutMs ?? 10_000;
  const consumer = kafka.consumer({
    groupId: deps.groupId,
    maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
    sessionTimeout,
    heartbeatInterval: Math.floor(sessionTimeout / 4),
    maxBytesPerPartition: 4 << 20,
    retry: GROUP_MEMBER_RETRY,
  });
  // The Java-compatible partitioner: analysts' Java clients find a user's key on the same partition.
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const watch = createPositionWatch({
    logger,
    onRegression: (topic, kind) => metrics.positionRegressions.inc({ topic, kind }),
  });
  const batchDeps: BatchDeps = {
    queueRecompute: deps.batch.recompute !== false,
    awaitLinesMs: deps.awaitLinesMs,
    ...deps.batch,
    pool: deps.pool,
    topics: deps.topics,
    outbox: deps.publish,
    watch,
  };
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  const liveness = createLiveness({ stallMs: deps.stallMs ?? 60_000 });
  let crash: (err: Error) => void = () => {};
  const crashed = new Promise<never>((_, reject) => (crash = reject));
  crashed.catch(() => {});
  watchConsumer(consumer, liveness, (err) => {
    logger.error('feature consumer stopped for good', { error: err });
    crash(err);
  });
  // Ends the waits between retries at once on stop(); the batch is then redone after restart.
  const shutdown = new AbortController();

  const sendRejections = async (rejected: Rejection[]) => {
    if (!rejected.length || deps.deadLetter === false) return;
    const at = new Date();
    await sendDeadLetters(producer, rejected, deps.groupId, at);
    for (const r of rejected) {
      metrics.dlq.inc({ topic: r.msg.topic, error_class: r.errorClass });
      logger.warn('dead-lettered', {
        topic: r.msg.topic,
        partition: r.msg.partition,
        offset: r.msg.offset,
        reason: r.reason,
      });
    }
  };

  const publisher = createOutboxPublisher({
    pool: deps.pool,
    logger,
    send: async (messages) => {
      // Up to 500 rows of a few kB each: cut below max.message.bytes, in order.
      await sendInChunks(producer, deps.featuresTopic, messages);
      metrics.published.inc(messages.length);
    },
  });

  const recomputer = createRecomputer({
    logger,
    gatherMs: deps.recomputeGatherMs,
    drainOnce: () =>
      storeTransaction(deps.pool, (conn) => recomputeQueued(conn, deps.batch.numCategories, { outbox: deps.publish })),
    onRecomputed: (users) => {
      metrics.recomputed.inc(users);
      if (deps.publish) publisher.kick();
    },
    onFatal: (cause) => {
      // The same ending as a chunk's fatal error: the process exits and its supervisor restarts it.
      const err = new FatalError(`feature consumer stopped: recomputing features failed: ${cause.message}`, { cause });
      logger.error('feature consumer stopped for good', { error: err });
      liveness.crashed(err);
      crash(err);
    },
  });
  const settler = createSettler({
    logger,
    settle: async (scope) => {
      if (scope !== 'all' && !(await anyPending(deps.pool, scope))) return;
      const queued = await storeTransaction(deps.pool, async (conn) =>
        queueRecompute(conn, await settleArrived(conn, scope)),
      );
      if (queued) recomputer.kick();
    },
  });

  const handleChunk = async (p: EachBatchPayload, chunk: InboundMessage[], beat: HeartbeatGuard) => {
    const { topic, partition } = p.batch;
    const timerEnd = metrics.batchSeconds.startTimer({ topic });
    const retry = {
      logger,
      onWait: beat.onWait,
      signal: shutdown.signal,
      keepGoing: () => p.isRunning() && !p.isStale() && !beat.lost(),
      onRetry: () => metrics.retries.inc(),
    };
    const outcome: BatchOutcome = await retryTransient('apply batch', () => applyBatch(chunk, batchDeps), retry);
    // Committed: its shoppers can be recomputed while the offset commit goes to the broker.
    if (outcome.queued > outcome.deferred) recomputer.kick();
    // Whatever no sooner row takes with it is drained when it falls due.
    if (outcome.deferred) setTimeout(() => recomputer.kick(), deps.awaitLinesMs).unref();
    await retryTransient('send to DLQ', () => sendRejections(outcome.rejected), retry);
    const next = (BigInt(chunk.at(-1)!.offset) + 1n).toString();
    await commitGuarded(consumer, beat, { topic, partition, offset: next }, retry);
    p.resolveOffset(chunk.at(-1)!.offset);
    if (deps.publish && (outcome.features.length || outcome.deletedUsers.length)) publisher.kick();
    // This chunk may hold what pending rows wait for: settle those now, not on the next tick.
    const kind = refKindOf(deps.topics, topic);
    if (kind && deps.sweepOnTimer !== false && deps.settleOnCommit !== false) settler.kick(kind, chunk.flatMap(keyId));
    liveness.progressed();
    liveness.lag(`${topic}/${partition}`, Number(BigInt(p.batch.highWatermark) - BigInt(next)));
    metrics.applied.inc({ topic }, outcome.applied);
    deps.onCommitted?.(topic, partition, BigInt(next), outcome.applied, outcome.rejected.length);
    timerEnd();
    logger.debug('chunk applied', {
      topic,
      partition,
      offset: chunk[0]!.offset,
      count: chunk.length,
      applied: outcome.applied,
      rejected: outcome.rejected.length,
    });
  };

  const eachBatch = async (p: EachBatchPayload) => {
    const { topic, partition, messages } = p.batch;
    const size = deps.chunkSize ?? 2_000;
    liveness.lag(`${topic}/${partition}`, Number(BigInt(p.batch.highWatermark) - BigInt(p.batch.firstOffset() ?? 0)));
    for (let i = 0; i < messages.length; i += size) {
      if (!p.isRunning() || p.isStale()) return;
      const beat = guardHeartbeat(p.heartbeat);
      try {
        await handleChunk(
          p,
          messages.slice(i, i + size).map((m) => toInbound(topic, partition, m)),
          beat,
        );
      } catch (err) {
        // The group moved on while we retried: kafkajs rejoins on this error; the chunk is redone.
        const lost = beat.lost();
        if (lost) throw lost;
        // Retrying stopped for a rebalance or a shutdown: the next owner redoes the chunk.
        if (!p.isRunning() || p.isStale() || shutdown.signal.aborted) return;
        throw err;
      }
      await p.heartbeat();
    }
    const last = messages.at(-1);
    if (last)
      metrics.lag.set(
        { topic, partition: String(partition) },
        Math.max(0, Number(BigInt(p.batch.highWatermark) - BigInt(last.offset) - 1n)),
      );
  };

  // The pending grace is measured against this group's progress on the topic that delivers each reference.
  const groupProgress = createTopicProgress(kafka, deps.groupId);
  const pendingTopics = {
    user: deps.topics.users.name,
    order: deps.topics.orders.name,
    product: deps.topics.products.name,
  };
  const sweep = async () => {
    await settler.run();
    await recomputer.run();
    if (deps.publish) publisher.kick();
    const n = await sweepPending(
      deps.pool,
      { graceMs: deps.pendingGraceMs, topics: pendingTopics, progress: groupProgress },
      sendRejections,
    );
    metrics.pending.set(await pendingCount(deps.pool));
    return n;
  };

  return {
    producer,
    consumer,
    sweep,
    crashed,
    health: liveness.check,
    async start() {
      running = true;
      await producer.connect();
      await consumer.connect();
      const t = deps.topics;
      await consumer.subscribe({
        topics: [t.users.name, t.categories.name, t.products.name, t.orders.name, t.orderItems.name],
        fromBeginning: deps.fromBeginning ?? true,
      });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: deps.partitionsConsumedConcurrently ?? 2,
        eachBatch,
      });
      const tick = () => {
        timer = setTimeout(() => {
          sweep()
            .catch((err: Error) => logger.warn('pending sweep failed', { error: err }))
            .finally(() => {
              if (running) tick();
            });
        }, deps.sweepIntervalMs ?? 250);
      };
      if (deps.sweepOnTimer !== false) tick();
      logger.info('feature consumer started', { group: deps.groupId, topics: Object.values(t).map((x) => x.name) });
    },
    async stop() {
      running = false;
      shutdown.abort();
      if (timer) clearTimeout(timer);
      await consumer.disconnect();
      await settler.stop();
      await recomputer.stop();
      await publisher.stop();
      await groupProgress.close();
      await producer.disconnect();
    },
  };
}
