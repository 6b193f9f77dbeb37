import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Consumer, Producer } from 'kafkajs';
import { createKafka } from '../core/kafka.ts';
import { silentLogger } from '../core/logger.ts';
import { waitFor } from '../core/wait-for.ts';
import { createTestDatabase, type TestDatabase } from '../e2e/harness/test-database.ts';
import {
  apiFixtureConfig,
  FIXTURE_OPS_TOKEN,
  fixtureRecommendation,
  materialize,
  seedTinyShop,
} from '../e2e/harness/api-fixture.ts';
import { createTestRegistry, type TestRegistry } from '../e2e/harness/test-champion.ts';
import { readTopics } from '../e2e/harness/topic-reader.ts';
import { modelEventSchema } from '../streams/models/model-event.ts';
import { storefrontEventSchema } from '../streams/storefront/storefront-event.ts';
import { homeRecommendationsSchema, orderSchema } from '../web/src/lib/api-types.ts';
import type { ApiConfig } from './config.ts';
import { readJson } from './testing/read-json.ts';
import { startApi, type RunningApi } from './start.ts';

describe('the API against the real stack', () => {
  let db: TestDatabase;
  let config: ApiConfig;
  let api: RunningApi;
  let producer: Producer;
  let models: TestRegistry;
  const kafka = () => createKafka({ clientId: 'api-int', brokers: config.brokers });

  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'api' });
    await seedTinyShop(db.pool);
    models = await createTestRegistry();
    config = apiFixtureConfig(inject('stack'), db, { modelsDir: models.dir });
    api = await startApi(config, silentLogger);
    producer = kafka().producer();
    await producer.connect();
    // The live feed has joined its group: from here on every value reaches the API.
    await waitFor(async () => (await readJson(await fetch(`${api.url}/health`))).status === 'ok', {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'the API to report every dependency up',
    });
  });
  afterAll(async () => {
    await producer?.disconnect();
    await api?.stop();
    await db?.drop();
    await models?.cleanup();
  });

  it('POST /orders writes the order and its lines with the database prices', async () => {
    const res = await fetch(`${api.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        user_id: 3,
        items: [
          { product_id: 12, quantity: 2 },
          { product_id: 33, quantity: 1 },
        ],
      }),
    });
    expect(res.status).toBe(201);
    const order = orderSchema.parse(await res.json());
    expect(order.total).toBeCloseTo(2 * 12.99 + 33.99, 6);
    const [rows] = await db.pool.query(
      'SELECT o.user_id, o.status, oi.product_id, oi.quantity, oi.unit_price FROM orders o JOIN order_items oi ON oi.order_id = o.id WHERE o.id = ? ORDER BY oi.product_id',
      [order.order_id],
    );
    expect(rows).toEqual([
      { user_id: 3, status: 'paid', product_id: 12, quantity: 2, unit_price: '12.99' },
      { user_id: 3, status: 'paid', product_id: 33, quantity: 1, unit_price: '33.99' },
    ]);
    const unknown = await fetch(`${api.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 3, items: [{ product_id: 999, quantity: 1 }] }),
    });
    expect(unknown.status).toBe(404);
  });

  it('GET /recommendations/home reads the materialized row, and popularity without one', async () => {
    const rec = fixtureRecommendation(4);
    await materialize(db.pool, rec);
    const res = await fetch(`${api.url}/recommendations/home?user_id=4`);
    const body = homeRecommendationsSchema.parse(await res.json());
    expect(body).toMatchObject({ user_nickname: 'shopper4', recommendation_id: rec.recommendationId });
    expect(body.recommendations.map((r) => r.product_id)).toEqual([21, 31]);
    // The second read is the view's (answered in front of the middleware): same bytes, same ETag, 304.
    const etag = res.headers.get('etag')!;
    const again = await fetch(`${api.url}/recommendations/home?user_id=4`, { headers: { 'if-none-match': etag } });
    expect([again.status, again.headers.get('etag'), again.headers.get('x-content-type-options')]).toEqual([
      304,
      etag,
      'nosniff',
    ]);
    const cold = homeRecommendationsSchema.parse(
      await (await fetch(`${api.url}/recommendations/home?user_id=5`)).json(),
    );
    // Drinkware sold 5 units, Office 2: the best seller of the best category first.
    expect(cold).toMatchObject({ user_nickname: 'shopper5', cold_start: true });
    expect(cold.recommendations[0]!.product_id).toBe(21);
  });

  it('pushes a value on recommendations.v1 to the SSE stream within 1 s', async () => {
    const controller = new AbortController();
    const res = await fetch(`${api.url}/recommendations/stream?user_id=2`, { signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read(); // ": connected"
    const latencies: number[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const rec = fixtureRecommendation(2);
        const t0 = performance.now();
        await producer.send({
          topic: config.topics.recommendations,
          messages: [{ key: '2', value: JSON.stringify(rec) }],
        });
        let text = '';
        while (!text.includes(rec.recommendationId)) text += new TextDecoder().decode((await reader.read()).value);
        latencies.push(performance.now() - t0);
        const data = /data: (.*)\n/.exec(text.slice(text.indexOf('event: recommendation')))![1]!;
        expect(homeRecommendationsSchema.parse(JSON.parse(data)).recommendation_id).toBe(rec.recommendationId);
      }
    } finally {
      controller.abort();
    }
    process.stderr.write(`SSE push after produce, ms: ${latencies.map((l) => l.toFixed(1)).join(' ')}\n`);
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    // And /home follows at once, from the view, before any materializer wrote the row.
    const home = await readJson(await fetch(`${api.url}/recommendations/home?user_id=2`));
    expect(home.model_version).toBe('wd-fixture');
  });

  it('measures the alternative: materialize the value, then find it by polling recommendation_current', async () => {
    // A stand-in materializer (consume, write the row) and a 50 ms poller, the best a DB-driven push could do.
    const consumer: Consumer = kafka().consumer({ groupId: `api-int-mat-${Date.now()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    // From the beginning, so no value falls between joining and the first fetch; the first round warms up.
    await consumer.subscribe({ topic: config.topics.recommendations, fromBeginning: true });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    await consumer.run({
      eachMessage: async ({ message }) => materialize(db.pool, JSON.parse(message.value!.toString())),
    });
    await waitFor(async () => joined, { timeoutMs: 30_000, intervalMs: 50, what: 'the stand-in materializer' });
    const latencies: number[] = [];
    try {
      for (let i = 0; i < 6; i++) {
        const rec = fixtureRecommendation(3);
        const t0 = performance.now();
        await producer.send({
          topic: config.topics.recommendations,
          messages: [{ key: '3', value: JSON.stringify(rec) }],
        });
        // A steady 50 ms poll (waitFor backs off, which would be unfair to this path).
        for (let polls = 0; ; polls++) {
          const [r] = await db.pool.query('SELECT recommendation_id FROM recommendation_current WHERE user_id = 3');
          if ((r as { recommendation_id: string }[])[0]?.recommendation_id === rec.recommendationId) break;
          if (polls > 200) throw new Error('the materialized row never appeared');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        if (i > 0) latencies.push(performance.now() - t0);
      }
    } finally {
      await consumer.disconnect();
    }
    process.stderr.write(
      `materialize + 50 ms poll after produce, ms: ${latencies.map((l) => l.toFixed(1)).join(' ')}\n`,
    );
    expect(latencies).toHaveLength(5);
    expect(Math.max(...latencies)).toBeLessThan(5_000);
  });

  it('POST /events lands on storefront.events.v1', async () => {
    const consumer: Consumer = kafka().consumer({ groupId: `api-int-${Date.now()}` });
    const seen: unknown[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: config.topics.storefrontEvents, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(JSON.parse(message.value!.toString())) });
    try {
      const res = await fetch(`${api.url}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://127.0.0.1:5173' },
        body: JSON.stringify({
          events: [
            {
              type: 'click',
              user_id: 1,
              recommendation_id: null,
              product_id: 21,
              position: 2,
              model_version: 'wd-fixture',
            },
          ],
        }),
      });
      expect(res.status).toBe(202);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
      await waitFor(async () => seen.length > 0, { timeoutMs: 15_000, intervalMs: 50, what: 'the event on the topic' });
      expect(storefrontEventSchema.parse(seen[0])).toMatchObject({
        type: 'click',
        userId: 1,
        productId: 21,
        position: 2,
      });
      // The ops page counts it per model version.
      await waitFor(
        async () => {
          const o = await readJson(
            await fetch(`${api.url}/ops/overview`, { headers: { authorization: `Bearer ${FIXTURE_OPS_TOKEN}` } }),
          );
          return o.online.some(
            (r: { model_version: string; clicks: number }) => r.model_version === 'wd-fixture' && r.clicks === 1,
          );
        },
        { timeoutMs: 15_000, intervalMs: 100, what: 'the click in the ops overview' },
      );
    } finally {
      await consumer.disconnect();
    }
  });

  it('counts per model version, on the ops page, the clicks and the orders that follow a recommendation', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // Shopper 5 is told Drinkware or Office by wd-online, and Apparel by the shadow wd-shadow.
    const champion = fixtureRecommendation(5, { modelVersion: 'wd-online' });
    const shadow = fixtureRecommendation(5, {
      modelVersion: 'wd-shadow',
      categories: [{ categoryId: 1, name: 'Apparel', score: 0.5, rank: 1, reasons: [] }],
    });
    await producer.send({
      topic: config.topics.recommendations,
      messages: [{ key: '5', value: JSON.stringify(champion) }],
    });
    await producer.send({
      topic: config.topics.shadowRecommendations,
      messages: [{ key: '5', value: JSON.stringify(shadow) }],
    });
    const shown = { user_id: 5, recommendation_id: champion.recommendationId, model_version: 'wd-online' };
    const events = [0, 1].map((position) => ({ type: 'impression', product_id: 21, position, ...shown }));
    expect((await post('/events', { events: [...events, { ...events[0], type: 'click' }] })).status).toBe(202);
    // The shopper buys a Drinkware product after being shown the recommendation.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await post('/orders', { user_id: 5, items: [{ product_id: 22, quantity: 1 }] })).status).toBe(201);
    type Row = { model_version: string; impressions: number; clicks: number; orders: number; hits: number };
    const rows = await waitFor(
      async () => {
        const o = await readJson(
          await fetch(`${api.url}/ops/overview`, { headers: { authorization: `Bearer ${FIXTURE_OPS_TOKEN}` } }),
        );
        const mine = (o.online as Row[]).filter(
          (r) => ['wd-online', 'wd-shadow'].includes(r.model_version) && r.orders > 0,
        );
        return mine.length === 2 ? mine : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'both versions judged on the order in the ops overview' },
    );
    expect(rows).toEqual([
      expect.objectContaining({ model_version: 'wd-online', impressions: 2, clicks: 1, ctr: 0.5, orders: 1, hits: 1 }),
      expect.objectContaining({ model_version: 'wd-shadow', topic: 'shadow', orders: 1, hits: 0, hit_rate: 0 }),
    ]);
  });

  it('promote and rollback through the ops API announce the champion on models.v1', async () => {
    const v1 = await models.addVersion(1);
    await models.registry.promote(v1);
    const v2 = await models.addVersion(2);
    const auth = { authorization: `Bearer ${FIXTURE_OPS_TOKEN}`, 'content-type': 'application/json' };
    const promoted = await fetch(`${api.url}/ops/models/${v2}/promote`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ force: true }),
    });
    expect(promoted.status).toBe(200);
    const topic = await readTopics(config.brokers, [config.topics.models]);
    try {
      const champion = () =>
        topic.messages
          .filter((m) => m.key?.toString() === 'champion')
          .map((m) => modelEventSchema.parse(JSON.parse(m.value!.toString())));
      await topic.until(() => champion().length >= 1);
      expect(champion()[0]).toMatchObject({ version: v2, event: 'promoted', status: 'champion', decidedBy: 'api' });
      const retired = topic.messages.find((m) => m.key?.toString() === v1)!;
      expect(modelEventSchema.parse(JSON.parse(retired.value!.toString()))).toMatchObject({ status: 'retired' });
      const rolled = await fetch(`${api.url}/ops/models/rollback`, { method: 'POST', headers: auth, body: '{}' });
      expect(rolled.status).toBe(200);
      await topic.until(() => champion().length >= 2);
      expect(champion()[1]).toMatchObject({ version: v1, event: 'rolled-back', status: 'champion', comparedWith: v2 });
    } finally {
      await topic.close();
    }
  });
});
