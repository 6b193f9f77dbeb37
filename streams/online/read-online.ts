import type { Kafka } from 'kafkajs';
import { classify } from '../../core/errors.ts';
import { tailTopic } from '../../core/topic-tail.ts';
import {
  recommendationSchema,
  recommendationsTopic,
  shadowRecommendationsTopic,
} from '../recommendations/recommendation.ts';
import { storefrontEventSchema, storefrontEventsTopic } from '../storefront/storefront-event.ts';
import {
  compareOnline,
  type Interaction,
  type OrderSeen,
  type RecSeen,
  type VersionOnline,
} from './online-comparison.ts';

/** What mysql2's pool offers; kept minimal so this module needs no database layer. */
export interface Queryable {
  query(sql: string, params: unknown[]): Promise<[unknown, unknown]>;
}

export interface OnlineDeps {
  kafka: Kafka;
  shop: Queryable;
  /** Raw category name → model category name (features/category-map.ts). */
  modelCategoryOf(raw: string): string;
  topics?: { champion?: string; shadow?: string; storefront?: string };
}

export interface OnlineReport {
  since: string;
  until: string;
  versions: VersionOnline[];
}

/** Every value of a topic up to its end when called (none if the topic does not exist yet). */
async function readAll(kafka: Kafka, topic: string): Promise<unknown[]> {
  const admin = kafka.admin();
  await admin.connect();
  const exists = (await admin.listTopics()).includes(topic);
  await admin.disconnect();
  if (!exists) return [];
  const values: unknown[] = [];
  const tail = await tailTopic({
    kafka,
    topic,
    groupPrefix: 'online-comparison',
    fromBeginning: true,
    onMessage: (m) => {
      if (!m.value) return;
      try {
        values.push(JSON.parse(m.value.toString('utf8')));
      } catch {
        // Not JSON: not a recommendation; the scorer's DLQ is where such things are reported.
      }
    },
  });
  await tail.caughtUp;
  await tail.stop();
  return values;
}

async function recsOf(kafka: Kafka, topic: string, which: RecSeen['topic'], since: number): Promise<RecSeen[]> {
  return (await readAll(kafka, topic)).flatMap((v) => {
    const r = recommendationSchema.safeParse(v);
    if (!r.success || Date.parse(r.data.producedAt) < since) return [];
    const top3 = [...r.data.categories]
      .sort((a, b) => a.rank - b.rank)
      .slice(0, 3)
      .map((c) => c.name);
    return [
      {
        topic: which,
        version: r.data.modelVersion,
        userId: r.data.userId,
        producedAt: Date.parse(r.data.producedAt),
        top3,
      },
    ];
  });
}

/** Orders placed since `since` (not cancelled or refunded), with their lines' model categories. */
async function ordersSince(deps: OnlineDeps, since: number): Promise<OrderSeen[]> {
  let rows: { id: string; user_id: number; placed_at: Date; name: string }[];
  try {
    [rows] = (await deps.shop.query(
      `SELECT o.id, o.user_id, o.placed_at, c.name FROM orders o JOIN order_items i ON i.order_id = o.id
       JOIN products p ON p.id = i.product_id JOIN categories c ON c.id = p.category_id
       WHERE o.placed_at >= ? AND o.status IN ('placed', 'paid')`,
      [new Date(since)],
    )) as [typeof rows, unknown];
  } catch (err) {
    throw classify(err, 'reading orders for the online comparison');
  }
  const orders = new Map<string, OrderSeen & { categories: string[] }>();
  for (const r of rows) {
    let o = orders.get(r.id);
    if (!o) orders.set(r.id, (o = { userId: r.user_id, placedAt: r.placed_at.getTime(), categories: [] }));
    o.categories.push(deps.modelCategoryOf(r.name));
  }
  return [...orders.values()];
}

/**
 * The online comparison over the last `days`: per model version (champion from recommendations.v1,
 * challenger from recommendations.shadow.v1), how often the next order holds one of its top three,
 * and click-through from storefront.events.v1. recommendations.v1 is compacted, so for the champion
 * only the recommendations compaction has not yet replaced are counted.
 */
export async function onlineComparison(deps: OnlineDeps, opts: { days: number; now?: Date }): Promise<OnlineReport> {
  const until = opts.now ?? new Date();
  const since = until.getTime() - opts.days * 86_400_000;
  const [champion, shadow, events, orders] = await Promise.all([
    recsOf(deps.kafka, deps.topics?.champion ?? recommendationsTopic.name, 'champion', since),
    recsOf(deps.kafka, deps.topics?.shadow ?? shadowRecommendationsTopic.name, 'shadow', since),
    readAll(deps.kafka, deps.topics?.storefront ?? storefrontEventsTopic.name),
    ordersSince(deps, since),
  ]);
  const interactions: Interaction[] = events.flatMap((v) => {
    const e = storefrontEventSchema.safeParse(v);
    return e.success && Date.parse(e.data.at) >= since
      ? [{ modelVersion: e.data.modelVersion, type: e.data.type }]
      : [];
  });
  return {
    since: new Date(since).toISOString(),
    until: until.toISOString(),
    versions: compareOnline([...champion, ...shadow], orders, interactions),
  };
}
