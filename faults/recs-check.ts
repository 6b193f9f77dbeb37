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
  /** The first few differences: the topic's last value against the row. */
  examples: string[];
  sweeps: SweepCoverage[];
}

interface Parsed {
  recommendationId: string;
  rec: SweptRecommendation;
  /** trigger, sourceTs, producedAt: what a difference is explained by. */
  about: string;
}

function parse(m: KafkaMessage): Parsed | null {
  if (!m.value) return null;
  const v = JSON.parse(m.value.toString()) as {
    recommendationId: string;
    userId: number;
    runId: string | null;
    trigger: string;
    sourceTs: string;
    producedAt: string;
  };
  return {
    recommendationId: v.recommendationId,
    rec: { userId: v.userId, runId: v.runId, producedAt: Date.parse(v.producedAt) },
    about: `${v.trigger} source ${v.sourceTs} produced ${v.producedAt}`,
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
  const [rows] = await shop.query(
    'SELECT user_id, recommendation_id, trigger_kind, source_ts, produced_at FROM recommendation_current',
  );
  type Row = { user_id: number; recommendation_id: string; trigger_kind: string; source_ts: Date; produced_at: Date };
  const table = new Map((rows as Row[]).map((r) => [String(r.user_id), r]));
  const differing = differingKeys(last, table, (v, r) => v.recommendationId === r.recommendation_id).map(Number);
  const examples = differing.slice(0, 5).map((u) => {
    const v = last.get(String(u));
    const r = table.get(String(u));
    const row = r ? `${r.trigger_kind} source ${String(r.source_ts)} produced ${String(r.produced_at)}` : 'none';
    return `user ${u}: topic ${v ? v.about : String(v)}; table ${row}`;
  });
  const recs = messages.flatMap((m) => (m.value ? [m.value.rec] : []));
  return {
    keysOnTopic: [...last.values()].filter((v) => v !== null).length,
    rowsInTable: table.size,
    differing,
    examples,
    sweeps: sweeps.map((s) => sweepCoverage(s, recs)),
  };
}
