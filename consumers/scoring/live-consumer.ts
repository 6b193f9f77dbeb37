import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { Logger } from '../../core/logger.ts';
import { retryTransient } from '../../core/retry.ts';
import { commitGuarded, underGuard } from '../../core/heartbeat-guard.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import type { Rejection } from '../shared/dlq.ts';
import { sendDeadLetters } from '../shared/dlq-batches.ts';
import { toInbound } from '../shared/inbound-message.ts';
import { createCoalescer } from './coalescer.ts';
import { decodeFeatureMessage } from './decode-features.ts';
import { publishRecommendations, type FreshnessMemo } from './publisher.ts';
import type { Scorer, ScoreRequest } from './scorer.ts';
import type { ScoringMetrics } from './scoring-metrics.ts';
import type { ShadowScoring } from './shadow-scoring.ts';
import { FETCH_MAX_WAIT_MS, GROUP_MEMBER_RETRY } from '../../core/kafka.ts';

export interface LiveScoringDeps {
  kafka: Kafka;
  producer: Producer;
  scorer: Scorer;
  groupId: string;
  featuresTopic: string;
  recommendationsTopic: string;
  windowMs: number;
  maxBatch: number;
  sessionTimeoutMs: number;
  memo: FreshnessMemo;
  metrics: ScoringMetrics;
  logger: Logger;
  /** Scores each published batch again with the shadow model, if any (never waited for). */
  shadow?: ShadowScoring;
  /** The partitions of the features topic this instance holds now (the sweep splits by them). */
  onAssignment?: (partitions: number[]) => void;
}

export interface LiveScoring {
  readonly consumer: Consumer;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Rejects when the consumer stops for good (kafkajs gave up restarting it). */
  crashed: Promise<never>;
}

/**
 * Re-scores shoppers as their features change. Each partition's batch is decoded, its bad
 * messages dead-lettered, its changes handed to the window; the offset is committed only after
 * the window's publish was acknowledged, so a crash re-scores rather than loses.
 */
export function createLiveScoring(deps: LiveScoringDeps): LiveScoring {
  const { logger, metrics } = deps;
  const consumer = deps.kafka.consumer({
    groupId: deps.groupId,
    maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
    sessionTimeout: deps.sessionTimeoutMs,
    heartbeatInterval: Math.floor(deps.sessionTimeoutMs / 4),
    retry: GROUP_MEMBER_RETRY,
  });
  let running = false;
  const retry = { logger, keepGoing: () => running, onRetry: () => metrics.transientRetries.inc() };

  const flush = async (batch: Map<number, UserFeatures | null>) => {
    const end = metrics.batchSeconds.startTimer({ kind: 'live' });
    const live = [...batch.values()].filter((f): f is UserFeatures => f !== null);
    const requests = live.map((f): ScoreRequest => ({
      features: f,
      trigger: f.orderCount > 0 ? 'order' : 'cold-start',
      runId: null,
    }));
    const recs = await retryTransient('score', () => deps.scorer.score(requests), retry);
    const byUser = new Map(recs.map((r) => [r.userId, r]));
    const items = [...batch.keys()].map((userId) => ({ userId, rec: byUser.get(userId) ?? null }));
    // Noted before the send, so a sweep batch about to go out drops these shoppers rather than
    // landing its older scores after them on the compacted topic.
    for (const r of recs) deps.memo.note(r.userId, r.sourceTs, r.producedAt);
    await retryTransient(
      'publish recommendations',
      () => publishRecommendations(deps.producer, deps.recommendationsTopic, items),
      retry,
    );
    for (const r of recs) {
      metrics.scored.inc({ trigger: r.trigger, model_version: r.modelVersion });
    }
    deps.shadow?.submit(requests);
    metrics.tombstones.inc(items.length - recs.length);
    metrics.batchSize.observe({ kind: 'live' }, batch.size);
    end();
  };
  const window = createCoalescer<UserFeatures | null>({ windowMs: deps.windowMs, maxKeys: deps.maxBatch, flush });

  const deadLetter = async (rejected: Rejection[]) => {
    if (!rejected.length) return;
    const at = new Date();
    await sendDeadLetters(deps.producer, rejected, deps.groupId, at);
    for (const r of rejected) {
      metrics.dlq.inc({ error_class: r.errorClass });
      logger.warn('dead-lettered', {
        topic: r.msg.topic,
        partition: r.msg.partition,
        offset: r.msg.offset,
        reason: r.reason,
      });
    }
  };

  const eachBatch = async (p: EachBatchPayload) => {
    const { topic, partition, messages } = p.batch;
    if (!messages.length) return;
    const changes = new Map<number, UserFeatures | null>();
    const rejected: Rejection[] = [];
    for (const m of messages) {
      const c = decodeFeatureMessage(toInbound(topic, partition, m));
      if (c.kind === 'rejected') rejected.push(c.rejection);
      else changes.set(c.userId, c.kind === 'features' ? c.features : null);
    }
    const last = messages.at(-1)!.offset;
    const next = (BigInt(last) + 1n).toString();
    await underGuard(p.heartbeat, async (beat) => {
      const mine = { ...retry, onWait: beat.onWait, keepGoing: () => running && !beat.lost() };
      await retryTransient('dead-letter', () => deadLetter(rejected), mine);
      await window.submit(changes);
      await commitGuarded(consumer, beat, { topic, partition, offset: next }, mine);
    });
    p.resolveOffset(last);
    metrics.lag.set(
      { partition: String(partition) },
      Math.max(0, Number(BigInt(p.batch.highWatermark) - BigInt(next))),
    );
    await p.heartbeat();
  };

  const crashed = new Promise<never>((_, reject) => {
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) reject(e.payload.error);
    });
  });
  crashed.catch(() => {});
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    deps.onAssignment?.([...(e.payload.memberAssignment[deps.featuresTopic] ?? [])].sort((a, b) => a - b));
  });
  return {
    consumer,
    crashed,
    async start() {
      running = true;
      await consumer.connect();
      await consumer.subscribe({ topics: [deps.featuresTopic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 8,
        eachBatch,
      });
    },
    async stop() {
      running = false;
      await consumer.disconnect();
    },
  };
}
