import { AppError, isRetriable } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import type { CategoryMap } from '../../features/category-map.ts';
import { couponKey, type OrderInput, type ShopDbWriter } from '../db-writer.ts';
import { createBasketSampler } from '../generator/basket.ts';
import { createShopGenerator } from '../generator/shop-generator.ts';
import type { PreferenceModel } from '../generator/preferences.ts';
import { DAY_MS, EPOCH_2019_MS } from '../generator/time.ts';
import { fmt } from '../../core/progress.ts';
import { createRng, hashString, type Rng } from '../rng.ts';
import { createOrderLifecycle, type LifecycleOptions, type OrderLifecycle } from './order-lifecycle.ts';
import { loadShopState, type ShopState } from './shop-state.ts';

export interface SimulatorOptions extends LifecycleOptions {
  /** Orders per second. */
  rate: number;
  seed: number;
  strength?: number;
  /** Stop after this many seconds / orders (default: until aborted). */
  durationS?: number;
  maxOrders?: number;
  /** Insert batches in flight. */
  concurrency?: number;
}

export interface SimulatorResult {
  placed: number;
  errors: number;
  paid: number;
  cancelled: number;
  refunded: number;
  seconds: number;
  /** Achieved orders per second over the whole run. */
  rate: number;
}

export interface SimulatorDeps {
  pool: Pool;
  writer: ShopDbWriter;
  logger: Logger;
  categoryMap: CategoryMap;
  /** The progress line (rate, total, errors), about once a second. */
  progress: (line: string) => void;
  signal?: AbortSignal;
  now?: () => number;
}

const MAX_CONSECUTIVE_FAILURES = 20;

/** Places orders at `rate` from the generator's model, then pays, cancels and refunds them. */
export async function runSimulator(deps: SimulatorDeps, opts: SimulatorOptions): Promise<SimulatorResult> {
  const now = deps.now ?? Date.now;
  const model = createShopGenerator({
    seed: opts.seed,
    shoppers: 1,
    strength: opts.strength,
    categoryMap: deps.categoryMap,
  });
  // Products the generator made keep their popularity; in an imported shop all of a category are equally likely.
  const popularity = new Map(
    model.catalog.products.map((p) => {
      const shelf = model.catalog.shelves[p.rawIndex]!;
      const j = shelf.products.indexOf(p);
      return [p.sku, shelf.popularity[j]! - (j > 0 ? shelf.popularity[j - 1]! : 0)] as const;
    }),
  );
  const rawShares = model.catalog.rawWithinModel.map((w) => w.cum.map((c, k) => c - (k > 0 ? w.cum[k - 1]! : 0)));
  const state = await loadShopState({
    pool: deps.pool,
    categoryMap: deps.categoryMap,
    popularity: (sku) => popularity.get(sku) ?? 0.01,
    rawShares,
  });
  const rng = createRng(opts.seed, hashString('simulator'), now() & 0x7fffffff);
  const baskets = createBasketSampler({ model: model.model, catalog: state.catalog, rawNames: deps.categoryMap.raw });
  const lifecycle = createOrderLifecycle({
    pool: deps.pool,
    rng: createRng(opts.seed, hashString('lifecycle')),
    options: opts,
  });
  const ctx: BatchContext = { state, baskets, model: model.model, rng, rawNames: deps.categoryMap.raw };
  return loop({ ...deps, now }, opts, (n, at) => makeOrderBatch(n, at, ctx), lifecycle);
}

interface BatchContext {
  state: ShopState;
  baskets: ReturnType<typeof createBasketSampler>;
  model: PreferenceModel;
  rng: Rng;
  rawNames: readonly string[];
}

/** n new orders placed at `at` by users drawn uniformly, baskets from the generative model. */
function makeOrderBatch(n: number, at: number, ctx: BatchContext): OrderInput[] {
  const { state, rng } = ctx;
  const day = (at - EPOCH_2019_MS) / DAY_MS;
  const month = new Date(at).getUTCMonth() + 1;
  const orders: OrderInput[] = [];
  for (let tries = 0; orders.length < n && tries < n * 3; tries++) {
    const u = rng.int(state.userCount);
    const basket = ctx.baskets.sample(ctx.model.shopper(state.customerAt(u)), day, rng);
    if (basket.lines.length === 0) continue;
    const categoryId = state.categoryIds.get(ctx.rawNames[basket.lines[0]!.product.rawIndex]!) ?? -1;
    orders.push({
      externalRef: null,
      userId: state.userId(u),
      status: 'placed',
      couponStatus: basket.couponStatus,
      couponId: basket.couponStatus === 'used' ? (state.coupons.get(couponKey(month, categoryId)) ?? null) : null,
      deliveryCharge: basket.deliveryCharge,
      placedAt: at,
      items: basket.lines.map((l) => ({
        productId: state.productIds[l.product.index]!,
        quantity: l.quantity,
        unitPrice: l.product.price,
      })),
    });
  }
  return orders;
}

interface LoopStats {
  placed: number;
  errors: number;
  failuresInARow: number;
  inFlight: number;
  /** Orders the rate asked for but that were dropped because the database fell behind. */
  skipped: number;
}

/**
 * Token bucket: every tick, the orders due since the start (rate x elapsed) that are not yet
 * scheduled go out in batches, at most `concurrency` batches in flight. When the database
 * cannot keep up the backlog is capped at one second of orders, so the progress line shows
 * the rate actually reached instead of a growing queue.
 */
async function loop(
  deps: SimulatorDeps & { now: () => number },
  opts: SimulatorOptions,
  makeOrders: (n: number, at: number) => OrderInput[],
  lifecycle: OrderLifecycle,
): Promise<SimulatorResult> {
  const started = deps.now();
  const tickMs = Math.max(5, Math.min(100, 1000 / opts.rate));
  const maxBatch = Math.max(1, Math.min(1000, Math.ceil(opts.rate * 0.1)));
  const st: LoopStats = { placed: 0, errors: 0, failuresInARow: 0, inFlight: 0, skipped: 0 };
  let scheduled = 0;
  let fatal: unknown = null;
  let lastLine = started;
  const insert = async (orders: OrderInput[]) => {
    st.inFlight++;
    try {
      const ids = await deps.writer.insertOrders(orders);
      lifecycle.placed(ids, deps.now());
      st.placed += ids.length;
      st.failuresInARow = 0;
    } catch (err) {
      st.errors += orders.length;
      deps.logger.warn('order batch failed', { orders: orders.length, err: err as Error });
      if (++st.failuresInARow >= MAX_CONSECUTIVE_FAILURES || !isRetriable(err)) fatal ??= err;
    } finally {
      st.inFlight--;
    }
  };
  const done = () =>
    deps.signal?.aborted ||
    fatal !== null ||
    (opts.durationS !== undefined && deps.now() - started >= opts.durationS * 1000) ||
    (opts.maxOrders !== undefined && scheduled >= opts.maxOrders);
  while (!done()) {
    const t = deps.now();
    let due = Math.floor((opts.rate * (t - started)) / 1000) - scheduled - st.skipped;
    if (opts.maxOrders !== undefined) due = Math.min(due, opts.maxOrders - scheduled);
    if (due > opts.rate + maxBatch) {
      st.skipped += due - Math.ceil(opts.rate);
      due = Math.ceil(opts.rate);
    }
    while (due > 0 && st.inFlight < (opts.concurrency ?? 4)) {
      const n = Math.min(due, maxBatch);
      due -= n;
      scheduled += n;
      void insert(makeOrders(n, t));
    }
    await lifecycle.advance(t).catch((err: unknown) => {
      st.errors++;
      deps.logger.warn('status update failed', { err: err as Error });
    });
    if (t - lastLine >= 1000) {
      lastLine = t;
      deps.progress(progressLine(st, lifecycle, opts.rate, (t - started) / 1000));
    }
    await new Promise((r) => setTimeout(r, tickMs));
  }
  while (st.inFlight > 0) await new Promise((r) => setTimeout(r, 10));
  // On stop, pending transitions happen at once: no order is left 'placed' by the simulator.
  while (fatal === null && lifecycle.pending > 0) await lifecycle.advance(Number.POSITIVE_INFINITY);
  if (fatal) throw fatal instanceof AppError ? fatal : new AppError('simulation stopped', { cause: fatal });
  const seconds = (deps.now() - started) / 1000;
  deps.progress(progressLine(st, lifecycle, opts.rate, seconds));
  return {
    placed: st.placed,
    errors: st.errors,
    ...lifecycle.counts,
    seconds,
    rate: st.placed / Math.max(seconds, 1e-3),
  };
}

function progressLine(st: LoopStats, lc: OrderLifecycle, target: number, seconds: number): string {
  const c = lc.counts;
  return (
    `simulate: rate ${fmt(st.placed / Math.max(seconds, 1e-3))}/s (target ${fmt(target)})  total ${fmt(st.placed)}  errors ${fmt(st.errors)}` +
    `  paid ${fmt(c.paid)}  cancelled ${fmt(c.cancelled)}  refunded ${fmt(c.refunded)}  skipped ${fmt(st.skipped)}  ${seconds.toFixed(0)} s`
  );
}
