import { ValidationError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { couponKey, type OrderInput, type ShopDbWriter } from './db-writer.ts';
import type { GeneratedShopper, ShopGenerator } from './generator/shop-generator.ts';
import { DAY_MS, EPOCH_2019_MS, civilFromDays } from './generator/time.ts';
import type { Progress } from '../core/progress.ts';

export interface DbGenerateResult {
  shoppers: number;
  orders: number;
  lines: number;
}

export interface CatalogIds {
  categoryIds: Map<string, number>;
  /** By catalog product index. */
  productIds: Int32Array;
  coupons: Map<string, number>;
}

/** Categories, products and coupons of the generated shop; returns their database ids. */
export async function writeCatalog(generator: ShopGenerator, writer: ShopDbWriter): Promise<CatalogIds> {
  const raw = generator.categoryMap.raw;
  const categoryIds = await writer.ensureCategories(raw);
  const bySku = await writer.upsertProducts(
    generator.catalog.products.map((p) => ({
      sku: p.sku,
      categoryId: categoryIds.get(raw[p.rawIndex]!)!,
      title: p.description,
      price: p.price,
    })),
  );
  const productIds = Int32Array.from(generator.catalog.products, (p) => bySku.get(p.sku)!);
  const coupons = await writer.upsertCoupons(
    generator.discounts.map((d) => ({
      code: d.couponCode,
      categoryId: categoryIds.get(d.category)!,
      month: d.month,
      discountPct: d.discountPct,
    })),
  );
  return { categoryIds, productIds, coupons };
}

/**
 * The generated shop straight into the database: users, then their paid historical orders,
 * in batches of about `batchOrders` orders, `concurrency` batches in flight while the next
 * one is generated.
 */
export async function generateToDb(deps: {
  generator: ShopGenerator;
  writer: ShopDbWriter;
  logger: Logger;
  progress?: Progress;
  batchOrders?: number;
  concurrency?: number;
  append?: boolean;
}): Promise<DbGenerateResult> {
  const { generator, writer } = deps;
  if (!deps.append && (await writer.countOrders()) > 0) {
    throw new ValidationError('the shop database already has orders; pass --append to add a generated shop to them');
  }
  const ids = await writeCatalog(generator, writer);
  const result: DbGenerateResult = { shoppers: 0, orders: 0, lines: 0 };
  const inFlight: Promise<void>[] = [];
  let batch: GeneratedShopper[] = [];
  let batchOrders = 0;
  const flush = async (shoppers: GeneratedShopper[]) => {
    const users = await writer.upsertUsers(shoppers.map((s) => s.customer));
    const orders = shoppers.flatMap((s) =>
      s.transactions.map((t) => toOrder(t, users.get(s.customer.customerId)!, ids, generator)),
    );
    await writer.insertOrders(orders);
    deps.progress?.tick(orders.reduce((a, o) => a + o.items.length, 0));
  };
  for (const g of generator.generate()) {
    batch.push(g);
    batchOrders += g.transactions.length;
    result.shoppers++;
    result.orders += g.transactions.length;
    for (const t of g.transactions) result.lines += t.lines.length;
    if (batchOrders < (deps.batchOrders ?? 2000)) continue;
    inFlight.push(flush(batch));
    batch = [];
    batchOrders = 0;
    if (inFlight.length >= (deps.concurrency ?? 2)) await inFlight.shift();
  }
  if (batch.length) inFlight.push(flush(batch));
  await Promise.all(inFlight);
  return result;
}

function toOrder(
  t: GeneratedShopper['transactions'][number],
  userId: number,
  ids: CatalogIds,
  gen: ShopGenerator,
): OrderInput {
  let couponId: number | null = null;
  if (t.couponStatus === 'used' && t.lines.length > 0) {
    const month = civilFromDays(t.day).month + 1;
    const category = ids.categoryIds.get(gen.categoryMap.raw[t.lines[0]!.product.rawIndex]!)!;
    couponId = ids.coupons.get(couponKey(month, category)) ?? null;
  }
  return {
    externalRef: String(t.transactionId),
    userId,
    status: 'paid',
    couponStatus: t.couponStatus,
    couponId,
    deliveryCharge: t.deliveryCharge,
    placedAt: EPOCH_2019_MS + t.day * DAY_MS,
    items: t.lines.map((l) => ({
      productId: ids.productIds[l.product.index]!,
      quantity: l.quantity,
      unitPrice: Math.round(l.product.price * 100) / 100,
    })),
  };
}
