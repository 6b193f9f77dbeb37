import { ValidationError } from '../../core/errors.ts';
import type { CategoryMap } from '../../features/category-map.ts';
import { couponKey, type OrderInput, type ShopDbWriter } from '../db-writer.ts';
import type { Progress } from '../../core/progress.ts';
import type { CouponStatus, SalesLine } from '../shop-rows.ts';
import type { FileKind } from './layouts.ts';
import { createSharedTransactionCounter, readCustomers } from './parse-shop.ts';
import {
  createRejectLog,
  emptyReport,
  findShopFiles,
  readRows,
  type FileReport,
  type RejectLog,
  type RowTypes,
  type ShopFile,
} from './shop-files.ts';

export interface ImportReport extends FileReport {
  /** Rows written to the database (null: this file has no table and is only validated). */
  imported: number | null;
}

export interface ImportSummary {
  files: ImportReport[];
  rejects: RejectLog;
  /** Transaction ids used by more than one customer (each customer keeps an order). */
  sharedTransactionIds: number;
  /** (transaction, customer) whose rows were not contiguous: imported as more than one order. */
  splitTransactions: number;
  orders: number;
  lines: number;
  /** Orders whose source reference was imported before (a re-run, or --append of the same rows): skipped. */
  alreadyImported: number;
}

export interface ImportDeps {
  dir: string;
  writer: ShopDbWriter;
  categoryMap: CategoryMap;
  progress?: Progress;
  append?: boolean;
  batchOrders?: number;
}

/** DACON or Kaggle files into the shop database; malformed rows are reported and skipped. */
export async function importShopDirectory(deps: ImportDeps): Promise<ImportSummary> {
  const found = await findShopFiles(deps.dir);
  if (!deps.append && (await deps.writer.countOrders()) > 0) {
    throw new ValidationError('the shop database already has orders; pass --append to import into it anyway');
  }
  const rejects = createRejectLog();
  const files: ImportReport[] = [];
  const report = (f: ShopFile): ImportReport => {
    const r = { ...emptyReport(f), imported: null };
    files.push(r);
    return r;
  };
  const base = { categoryMap: deps.categoryMap, rejects };
  const categoryIds = await deps.writer.ensureCategories(deps.categoryMap.raw);
  const readAll = async <K extends FileKind>(kind: K, r: ImportReport): Promise<RowTypes[K][]> => {
    const out: RowTypes[K][] = [];
    for await (const { row } of readRows(found[kind] as ShopFile & { kind: K }, base, r)) out.push(row);
    return out;
  };
  let coupons = new Map<string, number>();
  if (found.discounts) {
    const r = report(found.discounts);
    const rows = await readAll('discounts', r);
    coupons = await deps.writer.upsertCoupons(
      rows.map((d) => ({
        code: d.couponCode,
        categoryId: categoryIds.get(d.category)!,
        month: d.month,
        discountPct: d.discountPct,
      })),
    );
    r.imported = rows.length;
  }
  for (const kind of ['tax', 'marketing'] as const) if (found[kind]) await readAll(kind, report(found[kind]));
  const customerReport = report(found.customers!);
  const customers = await readCustomers(found.customers!, base, customerReport);
  const users = await deps.writer.upsertUsers([...customers.values()]);
  customerReport.imported = users.size;
  const salesReport = report(found.sales!);
  const sales = await importSales({
    ...deps,
    file: found.sales!,
    report: salesReport,
    rejects,
    users,
    categoryIds,
    coupons,
  });
  salesReport.imported = sales.lines;
  return { files, rejects, ...sales };
}

interface Draft {
  lines: SalesLine[];
  /** The file line of the order's first row, for a reject. */
  line: number;
  /** (transaction, customer, occurrence): the same in every run over the same file. */
  ref: string;
}

async function importSales(
  deps: ImportDeps & {
    file: ShopFile;
    report: ImportReport;
    rejects: RejectLog;
    users: Map<string, number>;
    categoryIds: Map<string, number>;
    coupons: Map<string, number>;
  },
) {
  const shared = createSharedTransactionCounter();
  const seen = new Map<string, number>();
  const products = new Map<string, number>();
  const out = { sharedTransactionIds: 0, splitTransactions: 0, orders: 0, lines: 0, alreadyImported: 0 };
  let batch: Draft[] = [];
  let current: Draft | null = null;
  let currentKey = '';
  const flush = async () => {
    if (batch.length === 0) return;
    await ensureProducts(batch, products, deps);
    const drafts = batch.map((d) => ({
      d,
      order: { ...toOrder(d.lines, deps.users, products, deps.categoryIds, deps.coupons), sourceRef: d.ref },
    }));
    batch = [];
    const r = await importEach(drafts, deps);
    out.orders += r.inserted;
    out.lines += r.lines;
    out.alreadyImported += r.skipped;
    deps.progress?.tick(r.lines + r.skippedLines);
  };
  for await (const { row, line } of readRows(
    deps.file as ShopFile & { kind: 'sales' },
    { categoryMap: deps.categoryMap, rejects: deps.rejects, knownCustomers: deps.users },
    deps.report,
  )) {
    shared.add(row.transactionId, row.customerId);
    const key = `${row.transactionId}\u0000${row.customerId}`;
    if (key !== currentKey || !current) {
      const occurrence = (seen.get(key) ?? 0) + 1;
      if (occurrence > 1) out.splitTransactions++;
      seen.set(key, occurrence);
      currentKey = key;
      current = { lines: [], line, ref: `${row.transactionId}/${row.customerId}/${occurrence}` };
      batch.push(current);
      if (batch.length > (deps.batchOrders ?? 2000)) {
        const last = batch.pop()!;
        await flush();
        batch.push(last);
      }
    }
    current.lines.push(row);
  }
  await flush();
  out.sharedTransactionIds = shared.shared;
  return out;
}

/**
 * Imports a batch in one transaction; when the database refuses it for its data (not a
 * transient failure), the orders go one at a time so the bad one is reported and skipped.
 */
async function importEach(
  drafts: { d: Draft; order: OrderInput }[],
  deps: { writer: ShopDbWriter; rejects: RejectLog; file: ShopFile; report: ImportReport },
) {
  const count = (xs: typeof drafts) => xs.reduce((a, x) => a + x.order.items.length, 0);
  try {
    const r = await deps.writer.importOrders(drafts.map((x) => x.order));
    const skipped = new Set(r.skipped);
    const lines = count(drafts.filter((x) => !skipped.has(x.order.sourceRef!)));
    return { inserted: r.inserted, skipped: skipped.size, lines, skippedLines: count(drafts) - lines };
  } catch (err) {
    if (!(err instanceof ValidationError) || drafts.length === 1) {
      if (!(err instanceof ValidationError)) throw err;
      deps.report.rejected += drafts[0]!.d.lines.length;
      deps.rejects.add({ file: deps.file.name, line: drafts[0]!.d.line, reason: `order refused: ${err.message}` });
      return { inserted: 0, skipped: 0, lines: 0, skippedLines: 0 };
    }
    const total = { inserted: 0, skipped: 0, lines: 0, skippedLines: 0 };
    for (const x of drafts) {
      const r = await importEach([x], deps);
      for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r[k];
    }
    return total;
  }
}

async function ensureProducts(
  batch: Draft[],
  products: Map<string, number>,
  deps: { writer: ShopDbWriter; categoryIds: Map<string, number> },
): Promise<void> {
  const fresh = new Map<string, SalesLine>();
  for (const d of batch) for (const l of d.lines) if (!products.has(l.sku) && !fresh.has(l.sku)) fresh.set(l.sku, l);
  if (fresh.size === 0) return;
  const ids = await deps.writer.upsertProducts(
    [...fresh.values()].map((l) => ({
      sku: l.sku,
      categoryId: deps.categoryIds.get(l.category)!,
      title: l.description ?? `${l.sku} (${l.category})`,
      price: l.avgPrice,
    })),
  );
  for (const [sku, id] of ids) products.set(sku, id);
}

/**
 * A transaction's lines as one order. The files carry a coupon status per line, the schema one
 * per order: the order gets the strongest (used > clicked > not used) and, when used, the coupon
 * of its month and the first used line's category.
 */
function toOrder(
  lines: SalesLine[],
  users: Map<string, number>,
  products: Map<string, number>,
  categoryIds: Map<string, number>,
  coupons: Map<string, number>,
): OrderInput {
  const first = lines[0]!;
  const used = lines.find((l) => l.couponStatus === 'used');
  const couponStatus: CouponStatus = used
    ? 'used'
    : lines.some((l) => l.couponStatus === 'clicked')
      ? 'clicked'
      : 'not_used';
  const month = Number(first.date.slice(5, 7));
  return {
    externalRef: first.transactionId,
    userId: users.get(first.customerId)!,
    status: 'paid',
    couponStatus,
    couponId: used ? (coupons.get(couponKey(month, categoryIds.get(used.category)!)) ?? null) : null,
    deliveryCharge: Math.max(...lines.map((l) => l.deliveryCharge)),
    placedAt: Date.parse(`${first.date}T00:00:00Z`),
    items: lines.map((l) => ({ productId: products.get(l.sku)!, quantity: l.quantity, unitPrice: l.avgPrice })),
  };
}
