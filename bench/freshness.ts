import type { Pool } from 'mysql2/promise';
import { booleanFlag, intFlag, type ParsedArgs } from '../core/args.ts';
import type { CommandContext } from '../core/command.ts';
import { AppError } from '../core/errors.ts';
import { createPool } from '../prisma/db/pool.ts';
import { appsStatus } from '../stack/stack.ts';
import { quantile, type Benchmark, type Figures } from './benchmark.ts';
import { placeOrdersAtRate, type PlacedOrder } from './order-placer.ts';
import { removeOrders } from './order-cleanup.ts';
import { requireStack } from './require-stack.ts';
import { watchTable, type Seen } from './table-watcher.ts';
import { markStages, readStages, stageSplit } from './freshness-stages.ts';
import { waitForQuietJobs } from './jobs-quiet.ts';
import { jitBetween, stackJitSeconds, WARM_SLICE_S, warmEnough } from './jvm-warm-up.ts';
import type { StackSettings } from '../stack/settings.ts';
import type { Kafka } from 'kafkajs';
import { waitFor } from '../core/wait-for.ts';
import { createKafka } from '../core/kafka.ts';
import { kafkaBrokers } from '../stack/settings.ts';
import { cdcTopics } from '../streams/cdc/topics.ts';
import { userFeaturesTopic } from '../streams/features/user-features.ts';
import { recommendationsTopic } from '../streams/recommendations/recommendation.ts';

const STAGE_NAMES: Record<string, string> = {
  cdc: 'commit -> CDC events on Kafka (Debezium)',
  features: 'CDC -> features.user.v1 (feature store)',
  scoring: 'features -> recommendations.v1 (scorer)',
  materialize: 'recommendations.v1 -> table row (materializer)',
};

/** Order commit → the first row for that shopper produced and materialized after it. */
export function freshnessOf(
  orders: PlacedOrder[],
  seen: Seen[],
): { latencies: number[]; missing: number; rows: Map<string, number> } {
  const byUser = new Map<number, Seen[]>();
  for (const s of seen) byUser.set(s.userId, [...(byUser.get(s.userId) ?? []), s]);
  const latencies: number[] = [];
  const rows = new Map<string, number>();
  let missing = 0;
  for (const o of orders) {
    const hit = byUser
      .get(o.userId)
      ?.find((s) => s.producedAt >= o.committedAt - 1 && s.materializedAt >= o.committedAt);
    if (hit) {
      latencies.push(hit.materializedAt - o.committedAt);
      rows.set(o.orderId, hit.materializedAt);
    } else missing++;
  }
  return { latencies: latencies.sort((a, b) => a - b), missing, rows };
}

/**
 * What the figures describe is the running system, not its start: wait while a retrain or a sweep is
 * at work (the catch-up retrain after `npm start` takes a minute of both cores), then place orders
 * at the rate for `warmup` seconds and wait until their rows are in the table.
 */
async function steadyState(
  ctx: CommandContext,
  o: {
    kafka: Kafka;
    stack: StackSettings;
    pool: Pool;
    users: number[];
    products: { id: number; price: string }[];
    rate: number;
    warmup: number;
    /** The orders placed, for the clean-up. */
    placed: PlacedOrder[];
  },
) {
  const quiet = await waitForQuietJobs(o.kafka, {
    timeoutMs: 600_000,
    onWait: (runs) =>
      ctx.out(`waiting for ${runs.join(', ')} to finish (freshness beside a retrain or a sweep is its cost)`),
  });
  if (quiet.gaveUp) ctx.out(`still at work after 10 min: ${quiet.waitedFor.join(', ')}; measuring anyway`);
  if (!o.warmup) return;
  ctx.out(`warm-up: ${o.rate} orders/s for at least ${o.warmup} s and until the JVMs stop compiling, not measured`);
  const watcher = watchTable(o.pool);
  let elapsed = 0;
  let jitPerS: number | undefined;
  do {
    const before = stackJitSeconds(o.stack);
    o.placed.push(...(await placeOrdersAtRate({ ...o, durationS: WARM_SLICE_S, onPlaced: watcher.expect })));
    elapsed += WARM_SLICE_S;
    const spent = jitBetween(before, stackJitSeconds(o.stack));
    jitPerS = spent === undefined ? undefined : spent / WARM_SLICE_S;
  } while (!warmEnough(elapsed, o.warmup, jitPerS));
  const jit = jitPerS === undefined ? 'not readable' : `${jitPerS.toFixed(2)} s per s`;
  ctx.out(`warmed up for ${elapsed} s (JIT of Kafka and Connect over the last ${WARM_SLICE_S} s: ${jit})`);
  try {
    await waitFor(async () => watcher.pending() === 0, {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'the warm-up orders',
    });
  } finally {
    await watcher.stop();
  }
}

/**
 * Removes the bench's orders and waits until every shopper's recommendation has followed. A
 * failure here is reported, not thrown: the figures stand, and a failed run keeps its own error.
 */
async function cleanUp(ctx: CommandContext, pool: Pool, orders: PlacedOrder[]) {
  if (!orders.length) return;
  const t0 = Date.now();
  const watcher = watchTable(pool);
  try {
    await removeOrders(pool, orders, watcher.expect);
    await waitFor(async () => watcher.pending() === 0, {
      timeoutMs: 180_000,
      intervalMs: 200,
      what: () => `the recommendations after removing the bench's orders (${watcher.pending()} shoppers waiting)`,
    });
    const s = ((Date.now() - t0) / 1000).toFixed(1);
    ctx.out(`removed the bench's ${orders.length} orders; the recommendations followed in ${s} s`);
  } catch (err) {
    ctx.out(`could not remove the bench's orders (${(err as Error).message}); some stay in the shop`);
  } finally {
    await watcher.stop();
  }
}

async function catalogue(pool: Pool) {
  const [users] = await pool.query('SELECT id FROM users ORDER BY id');
  const [products] = await pool.query('SELECT id, price FROM products ORDER BY id');
  const [orders] = await pool.query('SELECT COUNT(*) AS n FROM orders');
  const ids = (users as { id: number }[]).map((u) => u.id);
  return {
    users: ids,
    products: products as { id: number; price: string }[],
    /** How long the histories are that every order's recompute reads. */
    ordersPerShopper: Number((orders as { n: number }[])[0]!.n) / Math.max(1, ids.length),
  };
}

export const freshnessBench: Benchmark = {
  name: 'freshness',
  summary: 'orders at a steady rate into the shop DB -> ... -> recommendation_current: p50/p95/p99 freshness, memory',
  args: {
    options: {
      rate: { type: 'string', value: 'R', default: '200', note: 'orders/s' },
      duration: { type: 'string', value: 'S', default: '60' },
      settle: { type: 'string', value: 'S', default: '10', note: 'wait after the last order' },
      keep: { type: 'boolean', note: "keep the bench's orders (each run adds them to the shoppers' histories)" },
      warmup: {
        type: 'string',
        value: 'S',
        default: '10',
        note: 'orders at the same rate first, not measured, and on until the JVMs stop compiling (JIT, pools, caches)',
      },
    },
    note: '(needs `npm start`: stack, features, scoring, materializer)',
  },
  async run(args: ParsedArgs, ctx: CommandContext): Promise<Figures> {
    const rate = intFlag(args, 'rate', { min: 1 });
    const duration = intFlag(args, 'duration', { min: 1 });
    const settle = intFlag(args, 'settle', { min: 1 });
    const warmup = intFlag(args, 'warmup', { min: 0 });
    const keep = booleanFlag(args, 'keep');
    const s = await requireStack(ctx);
    const needed = ['features', 'scoring', 'materializer'];
    const apps = await appsStatus(s, ctx.env);
    const down = apps.filter((a) => needed.includes(a.app) && !a.healthy).map((a) => a.app);
    if (down.length) throw new AppError(`not running: ${down.join(', ')}: run \`npm start\` first`);
    const pool = createPool(ctx.config.db, { connectionLimit: 20 });
    const placed: PlacedOrder[] = [];
    try {
      const { users, products, ordersPerShopper } = await catalogue(pool);
      const kafka = createKafka({ clientId: 'bench-freshness', brokers: kafkaBrokers(s) });
      await steadyState(ctx, { kafka, stack: s, pool, users, products, rate, warmup, placed });
      ctx.out(
        `placing ${rate} orders/s for ${duration} s over ${users.length} shoppers (round-robin), ` +
          `who had ${ordersPerShopper.toFixed(1)} orders each before the bench`,
      );
      const cdc = cdcTopics();
      const stageTopics = {
        orders: cdc.orders.name,
        orderItems: cdc.orderItems.name,
        features: userFeaturesTopic.name,
        recommendations: recommendationsTopic.name,
      };
      const marks = await markStages(kafka, stageTopics);
      const watcher = watchTable(pool);
      const jit0 = stackJitSeconds(s);
      const orders = await placeOrdersAtRate({
        pool,
        users,
        products,
        rate,
        durationS: duration,
        onPlaced: watcher.expect,
      });
      placed.push(...orders);
      const achieved = orders.length / duration;
      const jit = jitBetween(jit0, stackJitSeconds(s));
      const jitS = jit === undefined ? null : Number(jit.toFixed(1));
      await new Promise((r) => setTimeout(r, settle * 1000));
      await watcher.stop();
      const { latencies, missing, rows } = freshnessOf(orders, watcher.seen);
      const split = stageSplit(orders, rows, await readStages(kafka, stageTopics, marks));
      const q = (p: number) => Math.round(quantile(latencies, p));
      ctx.out(
        `orders placed ${orders.length} (${achieved.toFixed(1)}/s); recommendations seen ${latencies.length}; missing ${missing}`,
      );
      ctx.out(`freshness order commit -> row (ms): p50 ${q(0.5)}  p95 ${q(0.95)}  p99 ${q(0.99)}  max ${q(1)}`);
      ctx.out(`targets: p50 <= 250 ms, p99 <= 1000 ms at 200 orders/s`);
      if (jitS !== null) ctx.out(`JIT compiling in Kafka and Connect while orders were placed: ${jitS} s`);
      ctx.out('where the time goes (ms; Kafka record timestamps of the first message of each stage after the last):');
      for (const st of split)
        ctx.out(`  ${STAGE_NAMES[st.name]!.padEnd(44)} p50 ${st.p50}  p95 ${st.p95}  p99 ${st.p99}  (n ${st.n})`);
      const mem = (await appsStatus(s, ctx.env)).filter((a) => a.pid);
      for (const a of mem) ctx.out(`  ${a.app.padEnd(12)} ${a.rssMiB} MiB resident`);
      return {
        rate,
        achievedRate: Number(achieved.toFixed(1)),
        orders: orders.length,
        matched: latencies.length,
        missing,
        p50Ms: q(0.5),
        p95Ms: q(0.95),
        p99Ms: q(0.99),
        maxMs: q(1),
        jvmJitS: jitS,
        ordersPerShopper: Number(ordersPerShopper.toFixed(1)),
        ...Object.fromEntries(
          split.flatMap((st) => [
            [`${st.name}P50Ms`, st.p50],
            [`${st.name}P99Ms`, st.p99],
          ]),
        ),
        ...Object.fromEntries(mem.map((a) => [`${a.app}RssMiB`, a.rssMiB ?? null])),
      };
    } finally {
      if (!keep) await cleanUp(ctx, pool, placed).finally(() => pool.end());
      else await pool.end();
    }
  },
};
