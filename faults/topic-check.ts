import { isDeepStrictEqual } from 'node:util';
import type { Admin } from 'kafkajs';
import type { Pool } from '../prisma/db/pool.ts';
import { readTopics } from '../e2e/harness/topic-reader.ts';

/** Messages waiting on each topic (end minus start): a DLQ should hold none. */
export async function topicSizes(admin: Admin, topics: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const existing = new Set(await admin.listTopics());
  for (const t of topics) {
    if (!existing.has(t)) continue;
    const offs = await admin.fetchTopicOffsets(t);
    const n = offs.reduce((a, o) => a + Number(o.high) - Number(o.low), 0);
    if (n > 0) out[t] = n;
  }
  return out;
}

export interface TopicCheck {
  keysOnTopic: number;
  rowsInStore: number;
  /** Shoppers whose last value on the topic differs from the row (or one side lacks it). */
  differing: number[];
}

/** The last value per key on the compacted features topic must equal user_features row for row. */
export async function checkFeaturesTopic(
  admin: Admin,
  brokers: string[],
  topic: string,
  store: Pool,
): Promise<TopicCheck> {
  const ends = await admin.fetchTopicOffsets(topic);
  const reader = await readTopics(brokers, [topic]);
  const last = new Map<string, string | null>();
  try {
    const seen = new Map<number, bigint>();
    await reader.until((msgs) => {
      for (const m of msgs.splice(0)) {
        last.set(String(m.key), m.value === null ? null : m.value.toString());
        seen.set(m.partition, BigInt(m.offset));
      }
      return ends.every(
        (e) => BigInt(e.high) === BigInt(e.low) || (seen.get(e.partition) ?? -1n) >= BigInt(e.high) - 1n,
      );
    }, 120_000);
  } finally {
    await reader.close();
  }
  const rows = (await store.query('SELECT user_id, features FROM user_features'))[0] as {
    user_id: number;
    features: string;
  }[];
  const differing = new Set<number>();
  const stored = new Map(rows.map((r) => [String(r.user_id), r.features]));
  for (const [key, value] of last) {
    const row = stored.get(key);
    if (
      value === null ? row !== undefined : row === undefined || !isDeepStrictEqual(JSON.parse(value), JSON.parse(row))
    )
      differing.add(Number(key));
  }
  for (const key of stored.keys()) if (!last.has(key)) differing.add(Number(key));
  return {
    keysOnTopic: [...last.values()].filter((v) => v !== null).length,
    rowsInStore: rows.length,
    differing: [...differing],
  };
}
