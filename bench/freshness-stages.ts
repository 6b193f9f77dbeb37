import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
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

/**
 * Follows the CDC, features and recommendations topics from their current end while the bench
 * places orders, so each order's freshness can be split into stages (where the time goes).
 */
export async function recordStages(
  kafka: Kafka,
  topics: { orders: string; orderItems: string; features: string; recommendations: string },
) {
  const log: StageLog = { order: new Map(), lines: new Map(), features: new Map(), recommendations: new Map() };
  // The stages come from the records' own timestamps, so this reader may fetch in large, late
  // batches: it then takes far less of the CPU the system under test is measured on.
  const consumer = kafka.consumer({
    groupId: `bench-stages-${randomBytes(4).toString('hex')}`,
    maxWaitTimeInMs: 1_000,
    minBytes: 1 << 20,
  });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topics: Object.values(topics), fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const t = Number(message.timestamp);
      const v = message.value ? (JSON.parse(message.value.toString()) as { after?: Record<string, unknown> }) : null;
      if (topic === topics.orders && v?.after) log.order.set(String(v.after.id), t);
      else if (topic === topics.orderItems && v?.after) {
        const id = String(v.after.order_id);
        log.lines.set(id, Math.max(t, log.lines.get(id) ?? 0));
      } else if (topic === topics.features) push(log.features, Number(message.key), t);
      else if (topic === topics.recommendations) push(log.recommendations, Number(message.key), t);
    },
  });
  await joined;
  return { log, stop: () => consumer.disconnect() };
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
