import type { Kafka, KafkaMessage } from 'kafkajs';
import { tailTopic } from '../core/topic-tail.ts';
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

/** Where the stage topics end now: the run's messages are those after these offsets. */
export async function markStages(kafka: Kafka, topics: StageTopics): Promise<TopicMarks> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const out: TopicMarks = new Map();
    for (const t of Object.values(topics))
      out.set(t, new Map((await admin.fetchTopicOffsets(t)).map((o) => [o.partition, BigInt(o.high)])));
    return out;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads the stage topics from the marks to their ends once the run is over. The stages come from
 * the records' own timestamps (the producer's send time), so reading them late changes no figure,
 * and nothing of the bench competes for the CPU while the system is measured.
 */
export async function readStages(
  kafka: Kafka,
  topics: StageTopics,
  from: TopicMarks,
  timeoutMs = 120_000,
): Promise<StageLog> {
  const log: StageLog = { order: new Map(), lines: new Map(), features: new Map(), recommendations: new Map() };
  const tails = await Promise.all(
    Object.values(topics).map((topic) =>
      tailTopic({
        kafka,
        topic,
        groupPrefix: 'bench-stages',
        fromBeginning: false,
        from: from.get(topic) ?? new Map(),
        onMessage: (message) => collect(log, topics, topic, message),
      }),
    ),
  );
  try {
    let read = false;
    void Promise.all(tails.map((t) => t.caughtUp)).then(() => (read = true));
    await waitFor(async () => read, { timeoutMs, what: 'the stage topics read to their ends' });
    return log;
  } finally {
    await Promise.all(tails.map((t) => t.stop()));
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
