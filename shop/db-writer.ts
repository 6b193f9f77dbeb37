import type { PoolConnection } from 'mysql2/promise';
import { classify } from '../core/errors.ts';
import { retryTransient } from '../core/retry.ts';
import type { Logger } from '../core/logger.ts';
import type { Pool } from '../prisma/db/pool.ts';
import { inTransaction as sharedTransaction } from '../prisma/db/transaction.ts';
import type { CouponStatus, CustomerRow } from './shop-rows.ts';

/**
 * Batched writes of shop rows through mysql2: multi-row INSERTs, one transaction per batch of
 * orders (orders + their items commit together, so CDC never shows an order without lines).
 */
export type OrderStatus = 'placed' | 'paid' | 'cancelled' | 'refunded';

export interface OrderItemInput {
  productId: number;
  quantity: number;
  unitPrice: number;
}

export interface OrderInput {
  externalRef: string | null;
  /** Unique where the order came from (imports); an order whose sourceRef is in already is skipped. */
  sourceRef?: string | null;
  userId: number;
  status: OrderStatus;
  couponStatus: CouponStatus | null;
  couponId: number | null;
  deliveryCharge: number;
  /** Epoch milliseconds (stored as UTC DATETIME(3)). */
  placedAt: number;
  items: OrderItemInput[];
}

export interface ProductInput {
  sku: string;
  categoryId: number;
  title: string;
  price: number;
}

export interface CouponInput {
  code: string;
  categoryId: number;
  month: number;
  discountPct: number;
}

export interface ShopDbWriter {
  ensureCategories(names: readonly string[]): Promise<Map<string, number>>;
  /** Existing SKUs keep their row; returns sku -> id for all given. */
  upsertProducts(rows: ProductInput[]): Promise<Map<string, number>>;
  /** Key `${month}:${categoryId}` -> coupon id. */
  upsertCoupons(rows: CouponInput[]): Promise<Map<string, number>>;
  /** By external_ref (the source's customer id); returns external_ref -> user id. */
  upsertUsers(rows: CustomerRow[]): Promise<Map<string, number>>;
  /** Inserts orders and items in one transaction; returns order ids in input order. */
  insertOrders(orders: OrderInput[]): Promise<number[]>;
  /**
   * Inserts the orders whose sourceRef is not in the database yet, with their items, in one
   * transaction; the others are skipped (re-running an import, or one that stopped midway).
   */
  importOrders(orders: OrderInput[]): Promise<{ inserted: number; skipped: string[] }>;
  countOrders(): Promise<number>;
}

/** Users' joined_at is derived from tenure, counted back from the end of the data's year. */
export const TENURE_REFERENCE_MS = Date.UTC(2020, 0, 1);
const ROWS_PER_STATEMENT = 2000;

export const sqlDateTime = (ms: number): string => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
export const couponKey = (month: number, categoryId: number): string => `${month}:${categoryId}`;

export function createShopDbWriter(deps: { pool: Pool; logger: Logger }): ShopDbWriter {
  const { pool } = deps;
  const esc = (v: string | null) => pool.escape(v);
  let returning: Promise<boolean> | undefined;
  const supportsReturning = () => (returning ??= detectReturning(pool, deps.logger));
  // Without RETURNING, ids are read as insertId + i, which needs this process's order inserts
  // not to interleave: they are chained one after another.
  let serial: Promise<unknown> = Promise.resolve();

  const selectIds = async (sql: string, keys: string[], keyCol: string): Promise<Map<string, number>> => {
    const out = new Map<string, number>();
    for (const part of chunks(keys, ROWS_PER_STATEMENT)) {
      const [rows] = await pool.query(`${sql} WHERE ${keyCol} IN (${part.map(esc).join(',')})`);
      for (const r of rows as { id: number | string; k: string }[]) out.set(String(r.k), Number(r.id));
    }
    return out;
  };

  return {
    async ensureCategories(names) {
      if (names.length === 0) return new Map();
      await run('insert categories', () =>
        pool.query(`INSERT IGNORE INTO categories (name) VALUES ${names.map((n) => `(${esc(n)})`).join(',')}`),
      );
      return selectIds('SELECT id, name AS k FROM categories', [...names], 'name');
    },
    async upsertProducts(rows) {
      for (const part of chunks(rows, ROWS_PER_STATEMENT)) {
        const values = part.map(
          (p) =>
            `(${esc(p.sku)},${p.categoryId},${esc(p.title)},${p.price.toFixed(2)},${esc(`/images/products/${p.sku}.svg`)})`,
        );
        await run('insert products', () =>
          pool.query(
            `INSERT IGNORE INTO products (sku, category_id, title, price, image_url) VALUES ${values.join(',')}`,
          ),
        );
      }
      return selectIds(
        'SELECT id, sku AS k FROM products',
        rows.map((p) => p.sku),
        'sku',
      );
    },
    async upsertCoupons(rows) {
      if (rows.length > 0) {
        const values = rows.map((c) => `(${esc(c.code)},${c.categoryId},${c.month},${c.discountPct})`);
        await run('insert coupons', () =>
          pool.query(`INSERT INTO coupons (code, category_id, month, discount_pct) VALUES ${values.join(',')}
          ON DUPLICATE KEY UPDATE code = VALUES(code), discount_pct = VALUES(discount_pct)`),
        );
      }
      const [all] = await pool.query('SELECT id, month, category_id FROM coupons');
      return new Map(
        (all as { id: number; month: number; category_id: number }[]).map((c) => [
          couponKey(c.month, c.category_id),
          c.id,
        ]),
      );
    },
    async upsertUsers(rows) {
      for (const part of chunks(rows, ROWS_PER_STATEMENT)) {
        const values = part.map(
          (c) =>
            `(${esc(c.customerId)},${esc(`shopper-${c.customerId}`)},${esc(c.gender)},${esc(c.region)},${esc(sqlDateTime(joinedAt(c.tenureMonths)))},${c.tenureMonths})`,
        );
        await run('upsert users', () =>
          pool.query(`INSERT INTO users (external_ref, nickname, gender, region, joined_at, tenure_months) VALUES ${values.join(',')}
          ON DUPLICATE KEY UPDATE gender = VALUES(gender), region = VALUES(region), joined_at = VALUES(joined_at),
          tenure_months = VALUES(tenure_months), updated_at = CURRENT_TIMESTAMP(3)`),
        );
      }
      return selectIds(
        'SELECT id, external_ref AS k FROM users',
        rows.map((c) => c.customerId),
        'external_ref',
      );
    },
    async insertOrders(orders) {
      if (orders.length === 0) return [];
      const useReturning = await supportsReturning();
      const write = () =>
        retryTransient(
          'write orders',
          () =>
            inTransaction(pool, async (conn) => {
              const ids = await insertOrderRows(conn, orders, useReturning, esc);
              await insertItems(conn, orders, ids);
              return ids;
            }),
          // Deadlocks and dropped connections, a few times: a writer that keeps failing should say so.
          { logger: deps.logger, retries: 3, minDelayMs: 400 },
        );
      if (useReturning) return write();
      const next = serial.then(write, write);
      serial = next.catch(() => undefined);
      return next;
    },
    async importOrders(orders) {
      if (orders.length === 0) return { inserted: 0, skipped: [] };
      const useReturning = await supportsReturning();
      const write = () =>
        retryTransient(
          'import orders',
          () =>
            inTransaction(pool, async (conn) => {
              const refs = orders.flatMap((o) => (o.sourceRef ? [o.sourceRef] : []));
              // Locking read: a concurrent import of the same file waits here, then skips.
              const [rows] = refs.length
                ? await conn.query('SELECT source_ref FROM orders WHERE source_ref IN (?) FOR UPDATE', [refs])
                : [[]];
              const present = new Set((rows as { source_ref: string }[]).map((r) => r.source_ref));
              const fresh = orders.filter((o) => !o.sourceRef || !present.has(o.sourceRef));
              if (fresh.length) await insertItems(conn, fresh, await insertOrderRows(conn, fresh, useReturning, esc));
              return { inserted: fresh.length, skipped: [...present] };
            }),
          { logger: deps.logger, retries: 3, minDelayMs: 400 },
        );
      if (useReturning) return write();
      const next = serial.then(write, write);
      serial = next.catch(() => undefined);
      return next;
    },
    async countOrders() {
      const [rows] = await pool.query('SELECT COUNT(*) AS n FROM orders');
      return Number((rows as { n: number | string }[])[0]!.n);
    },
  };
}

function joinedAt(tenureMonths: number): number {
  const d = new Date(TENURE_REFERENCE_MS);
  d.setUTCMonth(d.getUTCMonth() - tenureMonths);
  return d.getTime();
}

async function insertOrderRows(
  conn: PoolConnection,
  orders: OrderInput[],
  useReturning: boolean,
  esc: (v: string | null) => string,
): Promise<number[]> {
  const values = orders.map(
    (o) =>
      `(${esc(o.externalRef)},${esc(o.sourceRef ?? null)},${o.userId},'${o.status}',${o.couponStatus ? `'${o.couponStatus}'` : 'NULL'},` +
      `${o.couponId ?? 'NULL'},${o.deliveryCharge.toFixed(2)},'${sqlDateTime(o.placedAt)}')`,
  );
  const sql = `INSERT INTO orders (external_ref, source_ref, user_id, status, coupon_status, coupon_id, delivery_charge, placed_at) VALUES ${values.join(',')}`;
  if (useReturning) {
    const [rows] = await conn.query(`${sql} RETURNING id`);
    return (rows as { id: number | string }[]).map((r) => Number(r.id));
  }
  // MySQL: one multi-row INSERT gets consecutive ids (innodb_autoinc_lock_mode 0/1, or 2 without
  // concurrent inserts into orders); detectReturning warns when that is not guaranteed.
  const [res] = await conn.query(sql);
  const first = Number((res as { insertId: number }).insertId);
  return orders.map((_, i) => first + i);
}

async function insertItems(conn: PoolConnection, orders: OrderInput[], ids: number[]): Promise<void> {
  const values: string[] = [];
  orders.forEach((o, i) => {
    for (const it of o.items) values.push(`(${ids[i]},${it.productId},${it.quantity},${it.unitPrice.toFixed(2)})`);
  });
  for (const part of chunks(values, ROWS_PER_STATEMENT * 2)) {
    await conn.query(`INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES ${part.join(',')}`);
  }
}

async function detectReturning(pool: Pool, logger: Logger): Promise<boolean> {
  const [rows] = await pool.query('SELECT VERSION() AS v, @@innodb_autoinc_lock_mode AS m');
  const { v, m } = (rows as { v: string; m: number | string }[])[0]!;
  const maria = /mariadb/i.exec(v) !== null;
  const [major, minor] = v.split('.').map(Number) as [number, number];
  if (maria && (major > 10 || (major === 10 && minor >= 5))) return true;
  if (Number(m) === 2)
    logger.warn('innodb_autoinc_lock_mode=2: order ids of a batch assume no concurrent inserts into orders', {
      version: v,
    });
  return false;
}

/** The shared transaction, with failures classified into the error tree (transient ones are retried). */
const inTransaction = <T>(pool: Pool, fn: (conn: PoolConnection) => Promise<T>): Promise<T> =>
  sharedTransaction(pool, fn).catch((err: unknown) => {
    throw classify(err, 'write orders');
  });

async function run<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (cause) {
    throw classify(cause, what);
  }
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
