import type { KafkaMessage } from 'kafkajs';
import { createKafka } from '../core/kafka.ts';
import { tailTopic } from '../core/topic-tail.ts';
import type { Pool } from '../prisma/db/pool.ts';
import { differingKeys, lastPerKey, type KeyedValue } from './last-per-key.ts';
import { sweepCoverage, type SweepCoverage, type SweptRecommendation } from './sweep-coverage.ts';
import type { SweepRequest } from './system.ts';

export interface RecommendationsCheck {
  keysOnTopic: number;
  rowsInTable: number;
  /** Shoppers whose last recommendation on the topic is not the materialized row (or one side lacks it). */
  differing: number[];
  sweeps: SweepCoverage[];
}

interface Parsed {
  recommendationId: string;
  rec: SweptRecommendation;
}

function parse(m: KafkaMessage): Parsed | null {
  if (!m.value) return null;
  const v = JSON.parse(m.value.toString()) as {
    recommendationId: string;
    userId: number;
    runId: string | null;
    producedAt: string;
  };
  return {
    recommendationId: v.recommendationId,
    rec: { userId: v.userId, runId: v.runId, producedAt: Date.parse(v.producedAt) },
  };
}

/** Everything committed on the topic (read committed: an aborted sweep batch is not there). */
async function readAll(brokers: string[], topic: string): Promise<KeyedValue<Parsed>[]> {
  const out: KeyedValue<Parsed>[] = [];
  const tail = await tailTopic({
    kafka: createKafka({ clientId: 'faults-recs-check', brokers }),
    topic,
    groupPrefix: 'faults-recs-check',
    fromBeginning: true,
    onMessage: (m, partition) => void out.push({ key: String(m.key), partition, offset: m.offset, value: parse(m) }),
  });
  try {
    await Promise.race([
      tail.caughtUp,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`reading ${topic} took over 120 s`)), 120_000)),
    ]);
  } finally {
    await tail.stop();
  }
  return out;
}

/**
 * The materialized table must equal the last value per key on recommendations.v1, and every
 * sweep a fault interrupted must still have scored each of its shoppers exactly once.
 */
export async function checkRecommendations(
  brokers: string[],
  topic: string,
  shop: Pool,
  sweeps: SweepRequest[],
): Promise<RecommendationsCheck> {
  const messages = await readAll(brokers, topic);
  const last = lastPerKey(messages);
  const [rows] = await shop.query('SELECT user_id, recommendation_id FROM recommendation_current');
  const table = new Map(
    (rows as { user_id: number; recommendation_id: string }[]).map((r) => [String(r.user_id), r.recommendation_id]),
  );
  const differing = differingKeys(last, table, (v, id) => v.recommendationId === id).map(Number);
  const recs = messages.flatMap((m) => (m.value ? [m.value.rec] : []));
  return {
    keysOnTopic: [...last.values()].filter((v) => v !== null).length,
    rowsInTable: table.size,
    differing,
    sweeps: sweeps.map((s) => sweepCoverage(s, recs)),
  };
}
