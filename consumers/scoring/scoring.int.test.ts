import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '../../core/kafka.ts';
import { silentLogger } from '../../core/logger.ts';
import { waitFor } from '../../core/wait-for.ts';
import { createFeatureScenario, type FeatureScenario } from '../../e2e/harness/feature-scenario.ts';
import { createTestRegistry, type TestRegistry } from '../../e2e/harness/test-champion.ts';
import { readTopics, type ReceivedMessage, type TopicReader } from '../../e2e/harness/topic-reader.ts';
import { recommendationSchema, type Recommendation } from '../../streams/recommendations/recommendation.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import { dlqTopicName } from '../../streams/topic.ts';
import { startFeatureConsumer, type RunningFeatureConsumer } from '../feature-store/app.ts';
import { championChangeEvents } from '../../model/registry/announce.ts';
import { readMeta } from '../../model/registry/artifact.ts';
import { createModelEventPublisher, type ModelEventPublisher } from '../../model/registry/model-event-publisher.ts';
import { statusEvent } from '../../model/registry/model-events.ts';
import { startScoring, type RunningScoring } from './app.ts';
import type { ScoringConfig } from './config.ts';

describe('scoring consumer on the real stack', () => {
  let sc: FeatureScenario;
  let features: RunningFeatureConsumer;
  let scoring: RunningScoring;
  let models: TestRegistry;
  let recs: TopicReader;
  let feats: TopicReader;
  let config: ScoringConfig;
  let v1: string;
  let v2: string;
  let v3: string;
  let announcer: ModelEventPublisher;

  beforeAll(async () => {
    sc = await createFeatureScenario();
    const fc = sc.config();
    features = await startFeatureConsumer(fc, silentLogger);
    models = await createTestRegistry();
    v1 = await models.addVersion(1);
    await models.registry.promote(v1);
    // Built before the scorer loads any model: tfjs names variables per process, and building
    // after a load can collide with the names the loaded model took.
    v2 = await models.addVersion(2);
    v3 = await models.addVersion(3);
    const prefix = fc.featuresTopic.split('.')[0]!;
    config = {
      brokers: fc.brokers,
      shop: sc.shop.db,
      store: sc.store.db,
      groupId: `scoring-${prefix}`,
      featuresTopic: fc.featuresTopic,
      recommendationsTopic: `${prefix}.recommendations.v1`,
      shadowRecommendationsTopic: `${prefix}.recommendations.shadow.v1`,
      controlTopic: `${prefix}.control.jobs.v1`,
      modelsTopic: `${prefix}.models.v1`,
      modelsDir: models.dir,
      windowMs: 20,
      maxBatch: 256,
      sweepBatch: 100,
      // Far beyond any wait here: promotions and rollbacks must reach the scorer through models.v1.
      modelPollMs: 600_000,
      catalogueRefreshMs: 60_000,
      sessionTimeoutMs: 6_000,
      recommendation: { products: 3, topCategories: 2, maxPerCategory: 1, recentDays: 30, rebuyOrders: 2 },
      metricsPort: 0,
      logLevel: 'warn',
    };
    scoring = await startScoring(config, silentLogger);
    announcer = createModelEventPublisher({
      kafka: createKafka({ clientId: 'test-models', brokers: config.brokers }),
      topic: config.modelsTopic,
    });
    recs = await readTopics(config.brokers, [
      config.recommendationsTopic,
      config.shadowRecommendationsTopic,
      dlqTopicName(config.featuresTopic),
    ]);
    feats = await readTopics(config.brokers, [config.featuresTopic]);
  });
  afterAll(async () => {
    await announcer?.close();
    await recs?.close();
    await feats?.close();
    await scoring?.stop();
    await features?.stop();
    await models?.cleanup();
    await sc?.cleanup();
  });

  const forUser = (userId: number, msgs: ReceivedMessage[] = recs.messages) =>
    msgs.filter((m) => m.topic === config.recommendationsTopic && m.key?.toString() === String(userId));
  const decode = (m: ReceivedMessage): Recommendation => recommendationSchema.parse(JSON.parse(m.value!.toString()));
  const lastFeatures = (userId: number) => {
    const m = forUser(
      userId,
      feats.messages.map((x) => ({ ...x, topic: config.recommendationsTopic })),
    ).at(-1);
    return m?.value ? (JSON.parse(m.value.toString()) as UserFeatures) : undefined;
  };

  it('a new shopper gets a cold-start recommendation; an order changes it within 2 s with the new sourceTs', async () => {
    const user = await sc.addUser('ada');
    await recs.until(() => forUser(user).length > 0);
    const cold = decode(forUser(user)[0]!);
    expect(cold).toMatchObject({ coldStart: true, trigger: 'cold-start', modelVersion: v1 });
    expect(cold.products.length).toBeGreaterThan(0);
    const t0 = Date.now();
    await sc.placeOrder(user, [['TEE', 1]]);
    // The order and its lines may arrive as two feature versions (same sourceTs): wait for the one with the line.
    // Bought once (no re-buy) within the last 30 days: the tee is then left out.
    const reflects = (m: ReceivedMessage) => {
      const r = decode(m);
      return !r.coldStart && !r.products.some((p) => p.productId === sc.productIds.TEE);
    };
    await recs.until(() => forUser(user).some(reflects), 2_000);
    const elapsed = Date.now() - t0;
    const recMsg = forUser(user).find(reflects)!;
    const rec = decode(recMsg);
    await feats.until(() => lastFeatures(user)?.lineCount === 1);
    expect(elapsed).toBeLessThan(2_000);
    expect(rec).toMatchObject({ coldStart: false, trigger: 'order', modelVersion: v1, runId: null });
    expect(rec.sourceTs).toBe(new Date(lastFeatures(user)!.sourceTs).toISOString());
    // MariaDB's binlog stamps events to the second, so an order placed in the shopper's first second
    // carries the same sourceTs; it is never older.
    expect(rec.sourceTs >= cold.sourceTs).toBe(true);
    expect(rec.categories.map((c) => c.rank)).toEqual(rec.categories.map((_, i) => i + 1));
    expect(rec.categories[0]!.reasons.length).toBeGreaterThan(0);
    const featAt = feats.messages.filter((m) => m.key?.toString() === String(user)).at(-1)!.receivedAt;
    const share = recMsg.receivedAt - featAt;
    process.stderr.write(
      `order -> recommendation on the topic: ${elapsed} ms, of which features -> recommendation ${share.toFixed(1)} ms\n`,
    );
  });

  it('a burst of 50 orders yields far fewer recommendations and ends on the latest state', async () => {
    const user = await sc.addUser('bo');
    await recs.until(() => forUser(user).length > 0);
    const before = forUser(user).length;
    await Promise.all(Array.from({ length: 50 }, () => sc.placeOrder(user, [['PEN', 1]])));
    await feats.until(() => lastFeatures(user)?.orderCount === 50, 20_000);
    const latest = new Date(lastFeatures(user)!.sourceTs).toISOString();
    await recs.until(() => forUser(user).some((m) => decode(m).sourceTs === latest), 5_000);
    const burst = forUser(user).length - before;
    process.stderr.write(`burst of 50 orders -> ${burst} recommendations\n`);
    expect(burst).toBeLessThanOrEqual(15);
    expect(decode(forUser(user).at(-1)!).sourceTs).toBe(latest);
  });

  it('a deleted shopper gets a tombstone', async () => {
    const user = await sc.addUser('cy');
    await recs.until(() => forUser(user).length > 0);
    await sc.shop.pool.query('DELETE FROM users WHERE id = ?', [user]);
    await recs.until(() => forUser(user).at(-1)?.value === null, 10_000);
  });

  it('a malformed feature message goes to the DLQ with its reason and scoring carries on', async () => {
    const kafka = createKafka({ clientId: 'test', brokers: config.brokers });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: config.featuresTopic,
      messages: [
        { key: '424242', value: 'not json' },
        { key: '424243', value: JSON.stringify({ userId: 424243, featureVersion: 1 }) },
      ],
    });
    await producer.disconnect();
    const dlq = await recs.until((m) => m.filter((x) => x.topic === dlqTopicName(config.featuresTopic)).length >= 2);
    // The two keys may land on different partitions: match each dead letter by its key, not by order.
    const byKey = Object.fromEntries(
      dlq.filter((x) => x.topic === dlqTopicName(config.featuresTopic)).map((x) => [x.key!.toString(), x.headers]),
    );
    expect(byKey['424242']!['dlq.reason']).toMatch(/^not JSON/);
    expect(byKey['424243']!['dlq.reason']).toMatch(/^value\.\w+: /);
    expect(byKey['424243']!['dlq.topic']).toBe(config.featuresTopic);
    const user = await sc.addUser('dee');
    await recs.until(() => forUser(user).length > 0);
  });

  /** What `npm run model -- promote|rollback` and the ops API do: change the registry, then announce it. */
  const announce = async (champion: string, previous: string, event: 'promoted' | 'rolled-back') =>
    announcer.publish(
      await championChangeEvents(models.registry, {
        champion,
        previous,
        event,
        reason: 'test',
        decidedBy: 'test',
        at: new Date(),
      }),
    );

  it('promotion and rollback announced on models.v1 switch the model a running scorer uses', async () => {
    await models.registry.promote(v2, { force: true });
    await announce(v2, v1, 'promoted');
    // The registry poll is off (10 min): only models.v1 can have switched it, within a second or two.
    const t0 = Date.now();
    await waitFor(async () => scoring.models.current()?.version === v2, {
      timeoutMs: 5_000,
      what: 'the scorer to switch to v2',
    });
    process.stderr.write(`promotion on models.v1 -> scorer switched in ${Date.now() - t0} ms\n`);
    const user = await sc.addUser('eve');
    await recs.until(() => forUser(user).some((m) => decode(m).modelVersion === v2));
    await models.registry.rollback();
    await announce(v1, v2, 'rolled-back');
    await waitFor(async () => scoring.models.current()?.version === v1, {
      timeoutMs: 5_000,
      what: 'the scorer to roll back to v1',
    });
    const n = forUser(user).length;
    await sc.placeOrder(user, [['CAP', 1]]);
    await recs.until(() => forUser(user).length > n);
    expect(decode(forUser(user).at(-1)!).modelVersion).toBe(v1);
  });

  it('a challenger in shadow mode scores live changes into recommendations.shadow.v1 beside the champion', async () => {
    const shadowEvent = async (event: 'shadow-started' | 'shadow-stopped') =>
      announcer.publish([
        statusEvent(await readMeta(models.registry.pathOf(v3)), {
          event,
          status: event === 'shadow-started' ? 'shadow' : 'candidate',
          reason: 'test',
          comparedWith: v1,
          decidedBy: 'test',
          at: new Date(),
        }),
      ]);
    await shadowEvent('shadow-started');
    await waitFor(async () => scoring.shadowVersion() === v3, { timeoutMs: 5_000, what: 'the shadow model to load' });
    const shadowFor = (userId: number) =>
      recs.messages.filter(
        (m) => m.topic === config.shadowRecommendationsTopic && m.key?.toString() === String(userId),
      );
    const user = await sc.addUser('fay');
    await sc.placeOrder(user, [['PEN', 1]]);
    await recs.until(() => shadowFor(user).some((m) => !decode(m).coldStart));
    const shadow = decode(shadowFor(user).find((m) => !decode(m).coldStart)!);
    expect(shadow).toMatchObject({ modelVersion: v3, trigger: 'order', userId: user });
    // The champion still serves the shopper: its recommendation for the same features is v1's.
    await recs.until(() => forUser(user).some((m) => decode(m).sourceTs === shadow.sourceTs));
    expect(decode(forUser(user).find((m) => decode(m).sourceTs === shadow.sourceTs)!).modelVersion).toBe(v1);
    expect(shadow.recommendationId).not.toBe(decode(forUser(user).at(-1)!).recommendationId);
    await shadowEvent('shadow-stopped');
    await waitFor(async () => scoring.shadowVersion() === null, { timeoutMs: 5_000, what: 'the shadow to stop' });
    const n = shadowFor(user).length;
    const other = await sc.addUser('gus');
    await recs.until(() => forUser(other).length > 0);
    expect(shadowFor(user).length).toBe(n);
    expect(shadowFor(other)).toHaveLength(0);
  });
});
