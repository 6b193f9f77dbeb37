import type { Pool } from 'mysql2/promise';
import { intFlag, type ParsedArgs } from '../core/args.ts';
import type { CommandContext } from '../core/command.ts';
import { AppError } from '../core/errors.ts';
import { createPool } from '../prisma/db/pool.ts';
import { appsStatus } from '../stack/stack.ts';
import { quantile, type Benchmark, type Figures } from './benchmark.ts';
import { placeOrdersAtRate, type PlacedOrder } from './order-placer.ts';
import { requireStack } from './require-stack.ts';

interface Seen {
  userId: number;
  producedAt: number;
  materializedAt: number;
}

/** Polls recommendation_current for rows written since the last poll (the materialized_at index makes it cheap). */
function watchTable(pool: Pool, since: number) {
  const seen: Seen[] = [];
  let mark = since;
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const [rows] = await pool.query(
        `SELECT user_id AS u, UNIX_TIMESTAMP(produced_at) * 1000 AS p, UNIX_TIMESTAMP(materialized_at) * 1000 AS m
           FROM recommendation_current WHERE materialized_at >= FROM_UNIXTIME(? / 1000) ORDER BY materialized_at`,
        [mark],
      );
      for (const r of rows as { u: number; p: string; m: string }[]) {
        seen.push({ userId: r.u, producedAt: Number(r.p), materializedAt: Number(r.m) });
        mark = Math.max(mark, Number(r.m));
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    seen,
    async stop() {
      stop = true;
      await loop;
    },
  };
}

/** Order commit → the first row for that shopper produced and materialized after it. */
export function freshnessOf(orders: PlacedOrder[], seen: Seen[]): { latencies: number[]; missing: number } {
  const byUser = new Map<number, Seen[]>();
  for (const s of seen) byUser.set(s.userId, [...(byUser.get(s.userId) ?? []), s]);
  const latencies: number[] = [];
  let missing = 0;
  for (const o of orders) {
    const hit = byUser
      .get(o.userId)
      ?.find((s) => s.producedAt >= o.committedAt - 1 && s.materializedAt >= o.committedAt);
    if (hit) latencies.push(hit.materializedAt - o.committedAt);
    else missing++;
  }
  return { latencies: latencies.sort((a, b) => a - b), missing };
}

async function catalogue(pool: Pool) {
  const [users] = await pool.query('SELECT id FROM users ORDER BY id');
  const [products] = await pool.query('SELECT id, price FROM products ORDER BY id');
  return {
    users: (users as { id: number }[]).map((u) => u.id),
    products: products as { id: number; price: string }[],
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
    },
    note: '(needs `npm start`: stack, features, scoring, materializer)',
  },
  async run(args: ParsedArgs, ctx: CommandContext): Promise<Figures> {
    const rate = intFlag(args, 'rate', { min: 1 });
    const duration = intFlag(args, 'duration', { min: 1 });
    const settle = intFlag(args, 'settle', { min: 1 });
    const s = await requireStack(ctx);
    const needed = ['features', 'scoring', 'materializer'];
    const apps = await appsStatus(s, ctx.env);
    const down = apps.filter((a) => needed.includes(a.app) && !a.healthy).map((a) => a.app);
    if (down.length) throw new AppError(`not running: ${down.join(', ')}: run \`npm start\` first`);
    const pool = createPool(ctx.config.db, { connectionLimit: 20 });
    try {
      const { users, products } = await catalogue(pool);
      ctx.out(`placing ${rate} orders/s for ${duration} s over ${users.length} shoppers (round-robin)`);
      const watcher = watchTable(pool, Date.now());
      const orders = await placeOrdersAtRate({ pool, users, products, rate, durationS: duration });
      const achieved = orders.length / duration;
      await new Promise((r) => setTimeout(r, settle * 1000));
      await watcher.stop();
      const { latencies, missing } = freshnessOf(orders, watcher.seen);
      const q = (p: number) => Math.round(quantile(latencies, p));
      ctx.out(
        `orders placed ${orders.length} (${achieved.toFixed(1)}/s); recommendations seen ${latencies.length}; missing ${missing}`,
      );
      ctx.out(`freshness order commit -> row (ms): p50 ${q(0.5)}  p95 ${q(0.95)}  p99 ${q(0.99)}  max ${q(1)}`);
      ctx.out(`targets: p50 <= 250 ms, p99 <= 1000 ms at 200 orders/s`);
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
        ...Object.fromEntries(mem.map((a) => [`${a.app}RssMiB`, a.rssMiB ?? null])),
      };
    } finally {
      await pool.end();
    }
  },
};
