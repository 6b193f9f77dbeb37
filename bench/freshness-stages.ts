import { randomBytes } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { waitFor } from '../core/wait-for.ts';
import { quantile } from './benchmark.ts';
import type { PlacedOrder } from './order-placer.ts';

/** The record timestamps (the producer's send time: Connect, the feature store, the scorer) per key. */
export interface StageLog {
  /** Order id → when its CDC event (orders) and its last line's (order_items) were written to Kafka. */
  order: Map<string, number>;
  lines: Map<string, number>;
  /** User id → record timestamps on features.user.v1 and recommendations.v1, ascending. */
  features: Map<number, number[]>;
  recommendations: Map<number, number[]>;
}

const push = (m: Map<number, number[]>, k: number, t: number) => m.set(k, [...(m.get(k) ?? []), t]);
const firstAtOrAfter = (ts: number[] | undefined, t: number) => ts?.find((x) => x >= t);

type StageTopics = { orders: string; orderItems: string; features: string; recommendations: string };
/** Topic → partition → offset. */
export type TopicMarks = Map<string, Map<number, bigint>>;

async function endOffsets(kafka: Kafka, topics: string[]): Promise<TopicMarks> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const out: TopicMarks = new Map();
    for (const t of topics)
      out.set(t, new Map((await admin.fetchTopicOffsets(t)).map((o) => [o.partition, BigInt(o.high)])));
    return out;
  } finally {
    await admin.disconnect();
  }
}

/** Where the stage topics end now: the run's messages are those after these offsets. */
export const markStages = (kafka: Kafka, topics: StageTopics) => endOffsets(kafka, Object.values(topics));

/**
 * Reads the stage topics from `from` to their ends once the run is over. The stages come from the
 * records' own timestamps (the producer's send time), so reading them late changes no figure, and
 * nothing of the bench competes for the CPU while the system is measured.
 */
export async function readStages(
  kafka: Kafka,
  topics: StageTopics,
  from: TopicMarks,
  timeoutMs = 120_000,
): Promise<StageLog> {
  const log: StageLog = { order: new Map(), lines: new Map(), features: new Map(), recommendations: new Map() };
  const ends = await endOffsets(kafka, Object.values(topics));
  const left = new Set<string>();
  for (const [t, parts] of ends)
    for (const [p, end] of parts) if (end > (from.get(t)?.get(p) ?? end)) left.add(`${t}/${p}`);
  if (!left.size) return log;
  const groupId = `bench-stages-${randomBytes(4).toString('hex')}`;
  // Offsets committed for the new group before it starts: it begins exactly at the marks.
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const [topic, parts] of from)
      await admin.setOffsets({
        groupId,
        topic,
        partitions: [...parts].map(([partition, o]) => ({ partition, offset: o.toString() })),
      });
  } finally {
    await admin.disconnect();
  }
  const reached = (topic: string, partition: number, offset: bigint) => {
    const end = ends.get(topic)?.get(partition);
    if (end !== undefined && offset + 1n >= end) left.delete(`${topic}/${partition}`);
  };
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
  // A partition can end in a transaction marker, which no message is handed over for.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
    reached(payload.topic, payload.partition, BigInt(payload.lastOffset)),
  );
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: Object.values(topics) });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        collect(log, topics, topic, message);
        reached(topic, partition, BigInt(message.offset));
      },
    });
    await waitFor(async () => left.size === 0, {
      timeoutMs,
      what: () => `the stage topics read to their ends (left: ${[...left].join(', ')})`,
    });
    return log;
  } finally {
    await consumer.disconnect();
  }
}

function collect(log: StageLog, topics: StageTopics, topic: string, message: KafkaMessage) {
  const t = Number(message.timestamp);
  const v = message.value ? (JSON.parse(message.value.toString()) as { after?: Record<string, unknown> }) : null;
  if (topic === topics.orders && v?.after) log.order.set(String(v.after.id), t);
  else if (topic === topics.orderItems && v?.after) {
    const id = String(v.after.order_id);
    log.lines.set(id, Math.max(t, log.lines.get(id) ?? 0));
  } else if (topic === topics.features) push(log.features, Number(message.key), t);
  else if (topic === topics.recommendations) push(log.recommendations, Number(message.key), t);
}

/**
 * Per order: commit → its CDC events on Kafka (the later of the order and its lines) → the next
 * feature row published for the shopper → the next recommendation → the row in the table.
 */
export function stageSplit(orders: PlacedOrder[], rows: Map<string, number>, log: StageLog) {
  const stages = {
    cdc: [] as number[],
    features: [] as number[],
    scoring: [] as number[],
    materialize: [] as number[],
  };
  for (const o of orders) {
    const cdc = Math.max(log.order.get(o.orderId) ?? NaN, log.lines.get(o.orderId) ?? 0);
    const feat = firstAtOrAfter(log.features.get(o.userId), cdc);
    const rec = feat === undefined ? undefined : firstAtOrAfter(log.recommendations.get(o.userId), feat);
    const row = rows.get(o.orderId);
    if (!Number.isFinite(cdc) || feat === undefined || rec === undefined || row === undefined) continue;
    stages.cdc.push(cdc - o.committedAt);
    stages.features.push(feat - cdc);
    stages.scoring.push(rec - feat);
    stages.materialize.push(row - rec);
  }
  const q = (xs: number[], p: number) => Math.round(quantile(xs, p));
  return Object.entries(stages).map(([name, xs]) => {
    xs.sort((a, b) => a - b);
    return { name, n: xs.length, p50: q(xs, 0.5), p95: q(xs, 0.95), p99: q(xs, 0.99) };
  });
}
