import { Partitioners, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafka } from '../../core/kafka.ts';
import { silentLogger } from '../../core/logger.ts';
import { waitFor } from '../../core/wait-for.ts';
import { sampleRecommendation } from '../../e2e/fixtures/recommendations.ts';
import { createTestDatabase, uniqueName, type TestDatabase } from '../../e2e/harness/test-database.ts';
import { readTopics } from '../../e2e/harness/topic-reader.ts';
import { kafkaBrokers } from '../../stack/settings.ts';
import type { Recommendation } from '../../streams/recommendations/recommendation.ts';
import { dlqTopicName } from '../../streams/topic.ts';
import { createTopicsIfMissing } from '../../core/kafka-topics.ts';
import { createMaterializer, type Materializer } from './materializer.ts';
import { createMaterializerMetrics } from './metrics.ts';

type Row = { user_id: number; recommendation_id: string; source_ts: Date; produced_at: Date; payload: unknown };

describe('materializer: recommendations.v1 → recommendation_current', () => {
  const brokers = kafkaBrokers(inject('stack'));
  const kafka = createKafka({ clientId: 'materializer-test', brokers });
  const topic = uniqueName('recommendations');
  let db: TestDatabase;
  let producer: Producer;
  const running: { m: Materializer; db: TestDatabase }[] = [];

  const start = async (target: TestDatabase) => {
    const m = createMaterializer({
      kafka,
      pool: target.pool,
      topic,
      groupId: uniqueName('mat'),
      metrics: createMaterializerMetrics(),
      logger: silentLogger,
    });
    await m.start();
    running.push({ m, db: target });
    return m;
  };
  const send = (values: { key: string; value: string | null }[]) =>
    producer.send({ topic, acks: -1, messages: values });
  const rec = (r: Recommendation) => ({ key: String(r.userId), value: JSON.stringify(r) });
  const rows = async (target: TestDatabase) =>
    (await target.pool.query('SELECT * FROM recommendation_current ORDER BY user_id'))[0] as Row[];
  const rowOf = async (target: TestDatabase, userId: number) => (await rows(target)).find((r) => r.user_id === userId);

  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'mat' });
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsIfMissing(admin, [{ topic, numPartitions: 3 }]);
    await admin.disconnect();
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await start(db);
  });
  afterAll(async () => {
    for (const r of running) await r.m.stop();
    await producer?.disconnect();
    for (const r of running) await r.db.drop();
  });

  it('upserts the newest value; an older one (by sourceTs, then producedAt) never overwrites it', async () => {
    const newer = sampleRecommendation(1, '2026-11-29T10:00:02.000Z');
    await send([rec(newer)]);
    await waitFor(async () => (await rowOf(db, 1))?.recommendation_id === newer.recommendationId, {
      timeoutMs: 15_000,
      what: 'the first row',
    });
    const older = sampleRecommendation(1, '2026-11-29T10:00:01.000Z', '2026-11-29T10:00:09.000Z');
    const sameSourceLater = sampleRecommendation(2, '2026-11-29T10:00:00.000Z', '2026-11-29T10:00:05.000Z');
    const sameSourceEarlier = sampleRecommendation(2, '2026-11-29T10:00:00.000Z', '2026-11-29T10:00:04.000Z');
    const marker = sampleRecommendation(3, '2026-11-29T10:00:00.000Z');
    // Each send is its own batch, so the guard in SQL (not only the in-chunk de-duplication) decides.
    for (const r of [older, sameSourceLater, sameSourceEarlier, marker]) await send([rec(r)]);
    await waitFor(async () => Boolean(await rowOf(db, 3)), { timeoutMs: 15_000, what: 'the marker row' });
    expect((await rowOf(db, 1))?.recommendation_id).toBe(newer.recommendationId);
    expect((await rowOf(db, 2))?.recommendation_id).toBe(sameSourceLater.recommendationId);
    expect((await rowOf(db, 2))?.payload).toEqual(sameSourceLater);
  });

  it('a tombstone deletes the row; a malformed value goes to the DLQ with its reason and the rest is applied', async () => {
    const dlq = await readTopics(brokers, [dlqTopicName(topic)]);
    const after = sampleRecommendation(4, '2026-11-29T10:00:00.000Z');
    await send([
      { key: '3', value: null },
      { key: '4', value: '{"userId": 4, "trigger": "order"}' },
      { key: 'abc', value: JSON.stringify(after) },
      rec(after),
    ]);
    await waitFor(async () => Boolean(await rowOf(db, 4)) && !(await rowOf(db, 3)), {
      timeoutMs: 15_000,
      what: 'row 4 in, row 3 gone',
    });
    const dead = await dlq.until((m) => m.length >= 2);
    await dlq.close();
    expect(dead.map((m) => m.headers['dlq.reason']).sort()).toEqual(
      [
        expect.stringMatching(/key is not a user id/),
        expect.stringMatching(/recommendationId|modelVersion|categories/),
      ].sort(),
    );
    expect(dead.every((m) => m.headers['dlq.topic'] === topic)).toBe(true);
  });

  it('a replay of the topic from the beginning rebuilds the table identically', async () => {
    const fresh = await createTestDatabase({ prefix: 'matreplay' });
    await start(fresh);
    const want = (await rows(db)).map(({ user_id, recommendation_id, source_ts, produced_at, payload }) => ({
      user_id,
      recommendation_id,
      source_ts,
      produced_at,
      payload,
    }));
    await waitFor(async () => (await rows(fresh)).length === want.length && (await rowOf(fresh, 4)) !== undefined, {
      timeoutMs: 30_000,
      what: 'the replayed table',
    });
    const got = (await rows(fresh)).map(({ user_id, recommendation_id, source_ts, produced_at, payload }) => ({
      user_id,
      recommendation_id,
      source_ts,
      produced_at,
      payload,
    }));
    expect(got).toEqual(want);
    expect(want.map((r) => r.user_id)).toEqual([1, 2, 4]);
  });
});
