import { isDeepStrictEqual } from 'node:util';
import type { Admin } from 'kafkajs';
import { silentLogger } from '../core/logger.ts';
import { waitFor } from '../core/wait-for.ts';
import { createCategoryMap } from '../features/category-map.ts';
import { groupLag } from '../consumers/feature-store/group-lag.ts';
import { pendingCount } from '../consumers/feature-store/pending.ts';
import { replayFeatures } from '../consumers/feature-store/replay.ts';
import { FEATURE_MIGRATIONS } from '../consumers/feature-store/feature-migrations.ts';
import { dumpStore } from '../e2e/harness/feature-checks.ts';
import { createScratchDatabase } from '../e2e/harness/scratch-database.ts';
import { dlqTopicName } from '../streams/topic.ts';
import { checkOrders, type OrderCheck } from './order-check.ts';
import { checkRecommendations, type RecommendationsCheck } from './recs-check.ts';
import { materializerLag, scoringLag } from './serving-faults.ts';
import { checkFeaturesTopic, topicSizes, type TopicCheck } from './topic-check.ts';
import type { SystemUnderTest } from './system.ts';

export interface CheckResult {
  orders: OrderCheck;
  /** Tables (and how many rows of each) where the live store differs from a fresh replay. */
  replayDiff: Record<string, number>;
  topic: TopicCheck;
  /** recommendations.v1 against recommendation_current, and the interrupted sweeps' coverage. */
  recs: RecommendationsCheck;
  /** DLQ topics that hold anything: every event in this run is well-formed. */
  dlq: Record<string, number>;
  ok: boolean;
}

const cdcNames = (sys: SystemUnderTest) => Object.values(sys.cdc.topics).map((t) => t.name);

/** Consumer lag on the CDC topics (0 once it has committed everything produced). */
export const cdcLag = async (admin: Admin, sys: SystemUnderTest) =>
  (await groupLag(admin, sys.features.groupId, cdcNames(sys))).total;

const count = async (sys: SystemUnderTest, sql: string) =>
  Number(((await sys.store.pool.query(sql))[0] as { n: number }[])[0]!.n);

/** After the load stops: waits until the consumer has applied and published everything (or gives up and lets the checks say what is missing). */
export async function quiesce(admin: Admin, sys: SystemUnderTest, timeoutMs: number): Promise<boolean> {
  const shopCount = async () =>
    Number(((await sys.shop.pool.query('SELECT COUNT(*) AS n FROM orders'))[0] as { n: number }[])[0]!.n);
  return waitFor(
    async () =>
      (await cdcLag(admin, sys)) === 0 &&
      (await pendingCount(sys.store.pool)) === 0 &&
      (await count(sys, 'SELECT COUNT(*) AS n FROM fs_recompute')) === 0 &&
      (await count(sys, 'SELECT COUNT(*) AS n FROM fs_outbox')) === 0 &&
      (await count(sys, 'SELECT COUNT(*) AS n FROM fs_orders')) === (await shopCount()) &&
      (await scoringLag(admin, sys)) === 0 &&
      // A sweep's commit marker can be a partition's last offset, which no consumer commits past.
      (await materializerLag(admin, sys)) <= 3,
    { timeoutMs, intervalMs: 250, what: 'the consumer to apply and publish everything' },
  ).then(
    () => true,
    () => false,
  );
}

function diffTables(a: Record<string, unknown[]>, b: Record<string, unknown[]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const table of Object.keys(a)) {
    const [x, y] = [a[table]!, b[table] ?? []];
    let n = Math.abs(x.length - y.length);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (!isDeepStrictEqual(x[i], y[i])) n++;
    if (n) out[table] = n;
  }
  return out;
}

/** The store rebuilt from the topics alone, by a consumer that saw no fault, must equal the live one. */
async function replayDiff(sys: SystemUnderTest): Promise<Record<string, number>> {
  const fresh = await createScratchDatabase(sys.stack, 'freplay', FEATURE_MIGRATIONS);
  const cats = createCategoryMap();
  try {
    await replayFeatures({
      config: { ...sys.features, store: sys.store.db, metricsPort: 0, groupId: `${sys.features.groupId}-replay` },
      into: 'fresh',
      freshDatabase: fresh.name,
      from: { kind: 'beginning' },
      logger: silentLogger,
      numCategories: cats.model.length,
      modelIndexOf: (n) => cats.modelIndexOfRaw(n),
    });
    return diffTables(await dumpStore(sys.store.pool), await dumpStore(fresh.pool));
  } finally {
    await fresh.drop();
  }
}

export async function runChecks(admin: Admin, sys: SystemUnderTest): Promise<CheckResult> {
  const orders = await checkOrders(sys.shop.pool, sys.store.pool);
  const replay = await replayDiff(sys);
  const topic = await checkFeaturesTopic(admin, sys.features.brokers, sys.features.featuresTopic, sys.store.pool);
  const recs = await checkRecommendations(
    sys.features.brokers,
    sys.serving.recommendationsTopic,
    sys.shop.pool,
    sys.sweeps,
  );
  const dlqTopics = [...cdcNames(sys), sys.serving.featuresTopic, sys.serving.recommendationsTopic].map(dlqTopicName);
  const dlq = await topicSizes(admin, dlqTopics);
  const ok =
    orders.lost.length + orders.phantom.length + orders.usersOver.length + orders.usersShort.length === 0 &&
    Object.keys(replay).length === 0 &&
    topic.differing.length === 0 &&
    recs.differing.length === 0 &&
    recs.sweeps.every((c) => c.missing.length + c.duplicated.length === 0) &&
    Object.keys(dlq).length === 0;
  return { orders, replayDiff: replay, topic, recs, dlq, ok };
}
