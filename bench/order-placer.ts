import { AppError } from '../core/errors.ts';
import type { Pool } from '../prisma/db/pool.ts';

export interface PlacedOrder {
  orderId: string;
  userId: number;
  /** When COMMIT returned to us (ms since epoch, sub-millisecond). */
  committedAt: number;
}

export interface OrderPlacerDeps {
  pool: Pool;
  /** Shoppers are used round-robin, so one shopper's orders are |users| / rate seconds apart. */
  users: number[];
  products: { id: number; price: string }[];
  rate: number;
  durationS: number;
  random?: () => number;
  /** Sees each order as its commit returns. */
  onPlaced?: (o: PlacedOrder) => void;
}

const clock = () => performance.timeOrigin + performance.now();

async function placeOne(deps: OrderPlacerDeps, userId: number, random: () => number): Promise<PlacedOrder> {
  const conn = await deps.pool.getConnection();
  try {
    await conn.beginTransaction();
    const [res] = await conn.query(
      "INSERT INTO orders (user_id, status, delivery_charge, placed_at) VALUES (?, 'paid', 0, NOW(3))",
      [userId],
    );
    const orderId = String((res as { insertId: number | string }).insertId);
    const lines = 1 + Math.floor(random() * 3);
    const rows = Array.from({ length: lines }, () => {
      const p = deps.products[Math.floor(random() * deps.products.length)]!;
      return [orderId, p.id, 1 + Math.floor(random() * 2), p.price];
    });
    await conn.query('INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES ?', [rows]);
    await conn.commit();
    return { orderId, userId, committedAt: clock() };
  } catch (err) {
    await conn.rollback().catch(() => undefined);
    throw err;
  } finally {
    conn.release();
  }
}

/**
 * Places orders at a steady rate: each order has its due time (start + i / rate), and several are in
 * flight at once, so one slow commit does not slow the rate down.
 */
export async function placeOrdersAtRate(deps: OrderPlacerDeps): Promise<PlacedOrder[]> {
  const random = deps.random ?? Math.random;
  const total = Math.round(deps.rate * deps.durationS);
  const placed: PlacedOrder[] = [];
  const inFlight = new Set<Promise<void>>();
  const errors: unknown[] = [];
  const start = clock();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / deps.rate;
    const wait = due - clock();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const userId = deps.users[i % deps.users.length]!;
    const p: Promise<void> = placeOne(deps, userId, random)
      .then(
        (o) => {
          placed.push(o);
          deps.onPlaced?.(o);
        },
        (err: unknown) => void errors.push(err),
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= 16) await Promise.race(inFlight);
    if (errors.length) break;
  }
  await Promise.all(inFlight);
  if (errors.length) throw new AppError(`placing orders failed (${errors.length} errors)`, { cause: errors[0] });
  return placed;
}
