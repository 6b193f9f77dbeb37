import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ResultSetHeader } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '../../core/kafka.ts';
import { silentLogger } from '../../core/logger.ts';
import { waitFor } from '../../core/wait-for.ts';
import { syntheticFeatures } from '../../e2e/harness/synthetic-features.ts';
import { createTestRegistry, type TestRegistry } from '../../e2e/harness/test-champion.ts';
import { createTestDatabase, type TestDatabase } from '../../e2e/harness/test-database.ts';
import { repoRoot } from '../../e2e/harness/test-stack.ts';
import { readTopics, type TopicReader } from '../../e2e/harness/topic-reader.ts';
import { kafkaBrokers } from '../../stack/settings.ts';
import { inject } from 'vitest';
import type { JobName } from '../../streams/control/job-event.ts';
import { FEATURE_MIGRATIONS } from '../feature-store/feature-migrations.ts';
import { startScheduler } from '../scheduler/app.ts';
import { createControlFollower, type ControlFollower } from '../shared/control-follower.ts';
import { jobEvent, jobMessage } from '../shared/job-events.ts';
import { startScoring, type RunningScoring } from './app.ts';
import type { ScoringConfig } from './config.ts';

const SHOPPERS = 4_000;

describe('the sweep: every shopper exactly once per run, split by partition, resumed after a kill', () => {
  let shop: TestDatabase;
  let store: TestDatabase;
  let models: TestRegistry;
  let config: ScoringConfig;
  let control: ControlFollower;
  let recs: TopicReader;
  let child: ChildProcess | undefined;
  let scoring: RunningScoring | undefined;

  beforeAll(async () => {
    shop = await createTestDatabase({ prefix: 'shop' });
    store = await createTestDatabase({ prefix: 'fs', migrationsDir: FEATURE_MIGRATIONS });
    for (const name of ['Apparel', 'Office', 'Drinkware']) {
      const [c] = await shop.pool.query<ResultSetHeader>('INSERT INTO categories (name) VALUES (?)', [name]);
      await shop.pool.query('INSERT INTO products (sku, category_id, title, price, image_url) VALUES ?', [
        [1, 2, 3].map((i) => [`${name}-${i}`, c.insertId, `${name} ${i}`, '9.99', 'https://img.example/p.png']),
      ]);
    }
    const rows = Array.from({ length: SHOPPERS }, (_, i) => syntheticFeatures(i + 1, { orders: i % 5 }));
    for (let i = 0; i < rows.length; i += 1_000)
      await store.pool.query('INSERT INTO user_features (user_id, as_of, source_ts, features) VALUES ?', [
        rows.slice(i, i + 1_000).map((f) => [f.userId, new Date(f.asOf), new Date(f.sourceTs), JSON.stringify(f)]),
      ]);
    models = await createTestRegistry();
    await models.registry.promote(await models.addVersion(3));
    const prefix = `sw${randomBytes(4).toString('hex')}`;
    config = {
      brokers: kafkaBrokers(inject('stack')),
      shop: shop.db,
      store: store.db,
      groupId: `scoring-${prefix}`,
      featuresTopic: `${prefix}.features.user.v1`,
      recommendationsTopic: `${prefix}.recommendations.v1`,
      shadowRecommendationsTopic: `${prefix}.recommendations.shadow.v1`,
      controlTopic: `${prefix}.control.jobs.v1`,
      modelsTopic: `${prefix}.models.v1`,
      modelsDir: models.dir,
      windowMs: 20,
      maxBatch: 256,
      sweepBatch: 50,
      modelPollMs: 500,
      catalogueRefreshMs: 60_000,
      sessionTimeoutMs: 6_000,
      recommendation: { products: 4, topCategories: 2, maxPerCategory: 2, recentDays: 30, rebuyOrders: 2 },
      metricsPort: 0,
      logLevel: 'warn',
    };
    control = createControlFollower({
      kafka: createKafka({ clientId: 'test', brokers: config.brokers }),
      topic: config.controlTopic,
      groupPrefix: 'test-control',
      logger: silentLogger,
    });
    await control.start();
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await recs?.close();
    await scoring?.stop();
    await control?.stop();
    await models?.cleanup();
    await shop?.drop();
    await store?.drop();
  });

  const url = (db: TestDatabase['db']) => `mysql://${db.user}:${db.password}@${db.host}:${db.port}/${db.database}`;
  const request = async (job: JobName, runId: string) => {
    const producer = createKafka({ clientId: 'test', brokers: config.brokers }).producer();
    await producer.connect();
    await producer.send({
      topic: config.controlTopic,
      messages: [jobMessage(jobEvent({ job, runId, status: 'requested', requestedBy: 'command' }))],
    });
    await producer.disconnect();
  };
  const untilDone = (runId: string, timeoutMs = 90_000) =>
    waitFor(async () => control.ledger.run(runId)?.done ?? false, { timeoutMs, intervalMs: 50, what: `${runId} done` });
  const expectEachShopperOnce = async (runId: string) => {
    recs ??= await readTopics(config.brokers, [config.recommendationsTopic]);
    const ofRun = () =>
      recs.messages.filter((m) => m.value && (JSON.parse(m.value.toString()) as { runId: string }).runId === runId);
    await recs.until(() => ofRun().length >= SHOPPERS, 30_000);
    const perUser = new Map<string, number>();
    for (const m of ofRun()) perUser.set(m.key!.toString(), (perUser.get(m.key!.toString()) ?? 0) + 1);
    expect(perUser.size).toBe(SHOPPERS);
    expect([...perUser.values()].every((n) => n === 1)).toBe(true);
  };

  it('resumes a sweep after its scorer is killed mid-run, still scoring every shopper exactly once', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'consumers/scoring/main.ts')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        KAFKA_BROKERS: config.brokers.join(','),
        DATABASE_URL: url(shop.db),
        FEATURES_DATABASE_URL: url(store.db),
        FEATURES_TOPIC: config.featuresTopic,
        RECOMMENDATIONS_TOPIC: config.recommendationsTopic,
        SHADOW_RECOMMENDATIONS_TOPIC: config.shadowRecommendationsTopic,
        MODELS_TOPIC: config.modelsTopic,
        CONTROL_TOPIC: config.controlTopic,
        SCORING_GROUP_ID: config.groupId,
        MODELS_DIR: models.dir,
        SCORING_METRICS_PORT: '0',
        SCORING_SWEEP_BATCH: '50',
        SCORING_SESSION_TIMEOUT_MS: '6000',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    await waitFor(async () => /"msg":"started"/.test(log), {
      timeoutMs: 60_000,
      what: () => `scorer child to start: ${log}`,
    });
    const runId = 'daily-sweep:kill-test';
    await request('daily-sweep', runId);
    await waitFor(async () => [...(control.ledger.run(runId)?.partitions.values() ?? [])].some((p) => p.scored > 0), {
      timeoutMs: 30_000,
      intervalMs: 5,
      what: 'first sweep progress',
    });
    child.kill('SIGKILL');
    const atKill = [...control.ledger.run(runId)!.partitions.values()];
    expect(atKill.filter((p) => p.done).length).toBeLessThan(3);
    scoring = await startScoring(config, silentLogger);
    const done = await untilDone(runId);
    expect(done.counts?.shoppers).toBe(SHOPPERS);
    await expectEachShopperOnce(runId);
  });

  it('a requested sweep scores every shopper once and reports duration and shoppers/s', async () => {
    const runId = 'daily-sweep:command-test';
    await request('daily-sweep', runId);
    const done = await untilDone(runId);
    process.stderr.write(
      `sweep of ${SHOPPERS} shoppers: ${done.durationMs} ms, ${done.counts?.shoppersPerSecond} shoppers/s\n`,
    );
    expect(done.counts).toMatchObject({ shoppers: SHOPPERS, partitions: 3 });
    await expectEachShopperOnce(runId);
  });

  it('a missed daily run is caught up on scheduler start, and not again once done', async () => {
    const cfg = {
      brokers: config.brokers,
      controlTopic: config.controlTopic,
      timezone: 'UTC',
      catchUp: true,
      metricsPort: 0,
      logLevel: 'warn' as const,
    };
    const jobs = [{ job: 'daily-sweep' as const, cron: '0 3 * * *' }];
    const first = await startScheduler({ ...cfg, jobs }, silentLogger);
    await first.stop();
    expect(first.caughtUp).toHaveLength(1);
    expect(first.caughtUp[0]).toMatch(/^daily-sweep:\d{4}-\d{2}-\d{2}$/);
    await untilDone(first.caughtUp[0]!);
    await expectEachShopperOnce(first.caughtUp[0]!);
    const second = await startScheduler({ ...cfg, jobs }, silentLogger);
    await second.stop();
    expect(second.caughtUp).toEqual([]);
  });
});
