import { createKafka } from '../../core/kafka.ts';
import { randomBytes } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { waitFor } from '../../core/wait-for.ts';
import type { DbConfig } from '../../core/config/db-config.ts';
import { migrate } from '../../prisma/db/migrate.ts';
import { createPool, type Pool } from '../../prisma/db/pool.ts';
import { cdcTopics, type CdcTopics } from '../../streams/cdc/topics.ts';
import { AppError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { storeTransaction } from './apply-batch.ts';
import type { FeatureConsumerConfig } from './config.ts';
import { createFeatureConsumer } from './consumer.ts';
import { FEATURE_MIGRATIONS } from './feature-migrations.ts';
import { createFeatureMetrics } from './feature-metrics.ts';
import { pendingCount, settleArrived } from './pending.ts';
import { recomputeUsers } from './recompute.ts';
import { checkName } from '../../core/names.ts';
import { resolveLineCategories } from './base-state.ts';
import { replayFreshInMemory, type ReplayClient } from './fresh-replay.ts';

export interface ReplayProgress {
  done: number;
  total: number;
  applied: number;
  rejected: number;
  eventsPerSecond: number;
  lag: number;
}

export interface ReplayOptions {
  config: FeatureConsumerConfig;
  from: { kind: 'beginning' } | { kind: 'time'; at: Date };
  into: 'fresh' | 'in-place';
  /** Database for `fresh`; default `<store>_replay_<time>`. */
  freshDatabase?: string;
  numCategories: number;
  modelIndexOf: (name: string) => number;
  logger: Logger;
  onProgress?: (p: ReplayProgress) => void;
  /** `fresh` only: the Kafka client that reads (see fresh-replay.ts). */
  client?: ReplayClient;
}

export interface ReplayResult {
  store: DbConfig;
  events: number;
  applied: number;
  rejected: number;
  pendingLeft: number;
  users: number;
  seconds: number;
  /** Milliseconds per phase: prepare, consume, then recompute (in place) or compute + write (fresh). */
  phases: Record<string, number>;
}

type Bounds = Map<string, { start: bigint; end: bigint }>;
const pk = (topic: string, partition: number) => `${topic}:${partition}`;

/** Where to start (beginning, or the first offset at/after a time) and where to stop (the end now). */
async function bounds(admin: Admin, topics: CdcTopics, from: ReplayOptions['from']): Promise<Bounds> {
  const out: Bounds = new Map();
  for (const t of Object.values(topics)) {
    const ends = await admin.fetchTopicOffsets(t.name);
    const starts =
      from.kind === 'time' ? await admin.fetchTopicOffsetsByTimestamp(t.name, from.at.getTime()) : undefined;
    for (const e of ends) {
      const byTime = starts?.find((s) => s.partition === e.partition)?.offset;
      const start =
        byTime !== undefined && byTime !== '-1'
          ? BigInt(byTime)
          : from.kind === 'time'
            ? BigInt(e.high)
            : BigInt(e.low);
      out.set(pk(t.name, e.partition), { start, end: BigInt(e.high) });
    }
  }
  return out;
}

async function prepareStore(opts: ReplayOptions, logger: Logger): Promise<DbConfig> {
  const live = opts.config.store;
  if (opts.into === 'in-place') return live;
  const name = checkName(
    opts.freshDatabase ?? `${live.database}_replay_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`,
    '--database',
  );
  const admin = createPool({ ...live, database: '' }, { connectionLimit: 1 });
  try {
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } catch (cause) {
    throw new AppError(`cannot create the fresh store database ${name} (the app user needs CREATE on it)`, { cause });
  } finally {
    await admin.end();
  }
  logger.info('replaying into a fresh store', { database: name });
  return { ...live, database: name };
}

async function assertEmpty(pool: Pool, database: string): Promise<void> {
  const [r] = await pool.query(
    'SELECT (SELECT COUNT(*) FROM fs_users) + (SELECT COUNT(*) FROM fs_orders) + (SELECT COUNT(*) FROM user_features) AS n',
  );
  if (Number((r as { n: number }[])[0]!.n) > 0)
    throw new AppError(`${database} is not empty: a fresh replay needs an empty store`);
}

/** Recomputes every shopper once, after the base state is complete: far cheaper than per event. */
async function recomputeAll(pool: Pool, numCategories: number, concurrency: number): Promise<number> {
  await storeTransaction(pool, async (conn) => {
    const [w] = await conn.query('SELECT DISTINCT product_id FROM fs_order_items WHERE category_id IS NULL');
    await resolveLineCategories(
      conn,
      'product_id',
      (w as { product_id: number }[]).map((x) => x.product_id),
      { onlyNull: true },
    );
    return settleArrived(conn);
  });
  const [r] = await pool.query('SELECT user_id FROM fs_users WHERE deleted = 0 ORDER BY user_id');
  const ids = (r as { user_id: number }[]).map((x) => x.user_id);
  // Chunks are independent (each locks its own shoppers), so several run at once.
  let next = 0;
  const worker = async () => {
    for (let i = next; i < ids.length; i = next) {
      next += 500;
      await storeTransaction(pool, (conn) => recomputeUsers(conn, ids.slice(i, i + 500), numCategories));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids.length;
}

/**
 * Rebuilds the feature store from the CDC topics with a consumer group of its own, up to the
 * end offsets seen at the start. The result equals what the live consumer computes from the
 * same events, because both derive features from base state alone.
 */
export async function replayFeatures(opts: ReplayOptions): Promise<ReplayResult> {
  const { config, logger } = opts;
  const t0 = Date.now();
  const store = await prepareStore(opts, logger);
  const pool = createPool(store, { connectionLimit: config.concurrency + 2 });
  const kafka = createKafka({ clientId: 'features-replay', brokers: config.brokers, logger });
  const admin = kafka.admin();
  const topics = cdcTopics(config.cdc);
  const groupId = `${config.groupId}-replay-${randomBytes(4).toString('hex')}`;
  try {
    await migrate({ pool, migrationsDir: FEATURE_MIGRATIONS, logger });
    if (opts.into === 'fresh') await assertEmpty(pool, store.database);
    await admin.connect();
    const b = await bounds(admin, topics, opts.from);
    // A new group starts at the beginning by itself; only a start time needs committed offsets.
    for (const t of opts.from.kind === 'time' ? Object.values(topics) : []) {
      const partitions = [...b]
        .filter(([k]) => k.startsWith(`${t.name}:`))
        .map(([k, v]) => ({ partition: Number(k.split(':').at(-1)), offset: v.start.toString() }));
      await admin.setOffsets({ groupId, topic: t.name, partitions });
    }
    const t1 = Date.now();
    if (opts.into === 'fresh') {
      const total = [...b.values()].reduce((s, x) => s + Number(x.end - x.start), 0);
      const r = await replayFreshInMemory({
        kafka,
        pool,
        topics,
        groupId,
        logger,
        numCategories: opts.numCategories,
        modelIndexOf: opts.modelIndexOf,
        bounds: b,
        client: opts.client,
        brokers: config.brokers,
        onProgress: (done, applied, rejected) =>
          opts.onProgress?.({
            done,
            total,
            applied,
            rejected,
            eventsPerSecond: done / Math.max(0.001, (Date.now() - t1) / 1000),
            lag: total - done,
          }),
      });
      const phases = { prepareMs: t1 - t0, consumeMs: r.consumeMs, computeMs: r.computeMs, writeMs: r.writeMs };
      logger.info('replay phases', phases);
      const seconds = (Date.now() - t0) / 1000;
      return {
        store,
        events: total,
        applied: r.applied,
        rejected: r.rejected,
        pendingLeft: 0,
        users: r.users,
        seconds,
        phases,
      };
    }
    const stats = await consumeUntil(opts, kafka, pool, topics, groupId, b);
    const t2 = Date.now();
    const users = await recomputeAll(pool, opts.numCategories, config.concurrency);
    const phases = { prepareMs: t1 - t0, consumeMs: t2 - t1, recomputeMs: Date.now() - t2 };
    logger.info('replay phases', phases);
    const pendingLeft = await pendingCount(pool);
    return { store, ...stats, pendingLeft, users, seconds: (Date.now() - t0) / 1000, phases };
  } finally {
    await admin.deleteGroups([groupId]).catch(() => {});
    await admin.disconnect();
    await pool.end();
  }
}

async function consumeUntil(
  opts: ReplayOptions,
  kafka: Kafka,
  pool: Pool,
  topics: CdcTopics,
  groupId: string,
  b: Bounds,
) {
  const total = [...b.values()].reduce((s, x) => s + Number(x.end - x.start), 0);
  const reached = new Map([...b].map(([k, v]) => [k, v.start]));
  let applied = 0,
    rejected = 0;
  const consumer = createFeatureConsumer({
    kafka,
    pool,
    topics,
    groupId,
    logger: opts.logger,
    metrics: createFeatureMetrics(),
    featuresTopic: opts.config.featuresTopic,
    publish: false,
    deadLetter: false,
    sweepOnTimer: false,
    pendingGraceMs: opts.config.pendingGraceMs,
    partitionsConsumedConcurrently: opts.config.concurrency,
    chunkSize: 5_000,
    batch: {
      numCategories: opts.numCategories,
      modelIndexOf: opts.modelIndexOf,
      recompute: false,
      trackPending: false,
    },
    onCommitted: (topic, partition, next, a, r) => {
      reached.set(pk(topic, partition), next);
      applied += a;
      rejected += r;
    },
  });
  const done = () => [...b].reduce((s, [k, v]) => s + Number((reached.get(k) ?? v.start) - v.start), 0);
  const started = Date.now();
  const report = () => {
    const d = done();
    opts.onProgress?.({
      done: d,
      total,
      applied,
      rejected,
      eventsPerSecond: d / Math.max(0.001, (Date.now() - started) / 1000),
      lag: total - d,
    });
  };
  const ticker = setInterval(report, 500);
  try {
    await consumer.start();
    await waitFor(async () => [...b].every(([k, v]) => (reached.get(k) ?? v.start) >= v.end), {
      timeoutMs: 24 * 3600_000,
      intervalMs: 50,
      what: 'the replay to reach the end offsets',
    });
  } finally {
    clearInterval(ticker);
    report();
    await consumer.stop();
  }
  return { events: total, applied, rejected };
}
