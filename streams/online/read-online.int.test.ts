import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, uniqueName, type TestDatabase } from '../../e2e/harness/test-database.ts';
import { createKafka } from '../../core/kafka.ts';
import { kafkaBrokers } from '../../stack/settings.ts';
import { ensureTopics } from '../ensure-topics.ts';
import type { Recommendation } from '../recommendations/recommendation.ts';
import { onlineComparison } from './read-online.ts';

const brokers = kafkaBrokers(inject('stack'));
const kafka = createKafka({ clientId: 'test', brokers });
let db: TestDatabase;
const topics = {
  champion: uniqueName('test.recs'),
  shadow: uniqueName('test.shadow'),
  storefront: uniqueName('test.sf'),
};

const rec = (userId: number, version: string, producedAt: Date, top: string[]): Recommendation => ({
  recommendationId: randomUUID(),
  userId,
  modelVersion: version,
  trigger: 'order',
  runId: null,
  coldStart: false,
  categories: top.map((name, i) => ({ categoryId: i + 1, name, score: 0.5 - i * 0.1, rank: i + 1, reasons: [] })),
  products: [],
  sourceTs: producedAt.toISOString(),
  producedAt: producedAt.toISOString(),
});

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'online' });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [
    { name: topics.champion, cleanupPolicy: 'compact' },
    { name: topics.shadow, cleanupPolicy: 'delete' },
    { name: topics.storefront, cleanupPolicy: 'delete' },
  ]);
  await admin.disconnect();
});

afterAll(async () => {
  await db?.drop();
});

describe('the online comparison', () => {
  it('reads both recommendation topics, the storefront events and the orders that followed', async () => {
    const t0 = Date.now() - 3_600_000;
    const q = (sql: string, p: unknown[] = []) => db.pool.query(sql, p);
    await q("INSERT INTO categories (id, name) VALUES (1, 'Nest-USA'), (2, 'Drinkware'), (3, 'Apparel')");
    await q(
      `INSERT INTO products (id, sku, category_id, title, price, image_url) VALUES (1, 'N', 1, 'T', 1, 'x'), (2, 'D', 2, 'M', 1, 'x')`,
    );
    await q(
      `INSERT INTO users (id, nickname, gender, region, joined_at, tenure_months) VALUES (1, 'a', 'F', 'Chicago', '2018-01-01', 1), (2, 'b', 'M', 'Chicago', '2018-01-01', 1)`,
    );
    await q(
      `INSERT INTO orders (id, user_id, status, delivery_charge, placed_at) VALUES (1, 1, 'paid', 0, ?), (2, 2, 'paid', 0, ?), (3, 2, 'cancelled', 0, ?)`,
      [new Date(t0 + 60_000), new Date(t0 + 60_000), new Date(t0 + 30_000)],
    );
    await q(
      'INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (1, 1, 1, 1), (2, 2, 1, 1), (3, 1, 1, 1)',
    );
    const producer = kafka.producer();
    await producer.connect();
    const send = (topic: string, values: object[]) =>
      producer.send({
        topic,
        messages: values.map((v) => ({ key: String((v as { userId: number }).userId), value: JSON.stringify(v) })),
      });
    await send(topics.champion, [
      rec(1, 'wd-1', new Date(t0), ['Nest', 'Apparel', 'Office']),
      rec(2, 'wd-1', new Date(t0), ['Nest', 'Apparel', 'Office']),
    ]);
    await send(topics.shadow, [
      rec(1, 'wd-2', new Date(t0), ['Drinkware', 'Apparel', 'Office']),
      rec(2, 'wd-2', new Date(t0), ['Drinkware', 'Apparel', 'Office']),
    ]);
    await send(topics.storefront, [
      {
        eventId: randomUUID(),
        type: 'impression',
        userId: 1,
        recommendationId: null,
        modelVersion: 'wd-1',
        productId: 1,
        position: 0,
        at: new Date().toISOString(),
      },
      {
        eventId: randomUUID(),
        type: 'click',
        userId: 1,
        recommendationId: null,
        modelVersion: 'wd-1',
        productId: 1,
        position: 0,
        at: new Date().toISOString(),
      },
    ]);
    await producer.disconnect();
    const report = await onlineComparison(
      { kafka, shop: db.pool, topics, modelCategoryOf: (raw) => (raw === 'Nest-USA' ? 'Nest' : raw) },
      { days: 1 },
    );
    expect(
      report.versions.map((v) => [v.topic, v.version, v.recommendations, v.hits, v.followed, v.clicks, v.impressions]),
    ).toEqual([
      ['champion', 'wd-1', 2, 1, 2, 1, 1],
      ['shadow', 'wd-2', 2, 1, 2, 0, 0],
    ]);
  });
});
