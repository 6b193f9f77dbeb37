import { TOLERANCE, totalLines, type Calibration } from './calibration.ts';
import type { CouponStatus, CustomerRow, SalesLine } from './shop-rows.ts';

/** The statistics the calibration speaks about, accumulated from any source of rows. */
export interface ShopStats {
  shoppers: number;
  transactions: number;
  /** Transaction ids that more than one customer uses. */
  sharedTransactionIds: number;
  lines: number;
  products: number;
  firstDate: string;
  lastDate: string;
  linesPerTransaction: number;
  transactionsPerShopper: number;
  activeMonthsPerShopper: number;
  couponShares: Record<CouponStatus, number>;
  quantity: { median: number; p95: number; max: number; mean: number };
  /** Raw category -> { lines, share, meanPrice } */
  categories: Record<string, { lines: number; share: number; meanPrice: number }>;
  customers: { count: number; female: number; regions: Record<string, number>; tenureMin: number; tenureMax: number };
}

export interface StatsAccumulator {
  addLine(line: SalesLine): void;
  addCustomer(customer: CustomerRow): void;
  result(): ShopStats;
}

export function createStatsAccumulator(): StatsAccumulator {
  const txOwners = new Map<string, string | null>();
  const shopperTx = new Map<string, { tx: Set<string>; months: number }>();
  const skus = new Set<string>();
  const cats = new Map<string, { lines: number; price: number }>();
  const qty = new Map<number, number>();
  const coupons: Record<CouponStatus, number> = { clicked: 0, used: 0, not_used: 0 };
  const customers = {
    count: 0,
    female: 0,
    regions: {} as Record<string, number>,
    tenureMin: Infinity,
    tenureMax: -Infinity,
  };
  let lines = 0;
  let qtySum = 0;
  let first = '9999-99-99';
  let last = '0000-00-00';
  return {
    addLine(l) {
      lines++;
      const owner = txOwners.get(l.transactionId);
      if (owner === undefined) txOwners.set(l.transactionId, l.customerId);
      else if (owner !== null && owner !== l.customerId) txOwners.set(l.transactionId, null);
      let s = shopperTx.get(l.customerId);
      if (!s) shopperTx.set(l.customerId, (s = { tx: new Set(), months: 0 }));
      s.tx.add(l.transactionId);
      s.months |= 1 << (Number(l.date.slice(5, 7)) - 1);
      skus.add(l.sku);
      const c = cats.get(l.category) ?? { lines: 0, price: 0 };
      c.lines++;
      c.price += l.avgPrice;
      cats.set(l.category, c);
      qty.set(l.quantity, (qty.get(l.quantity) ?? 0) + 1);
      qtySum += l.quantity;
      coupons[l.couponStatus]++;
      if (l.date < first) first = l.date;
      if (l.date > last) last = l.date;
    },
    addCustomer(c) {
      customers.count++;
      if (c.gender === 'F') customers.female++;
      customers.regions[c.region] = (customers.regions[c.region] ?? 0) + 1;
      customers.tenureMin = Math.min(customers.tenureMin, c.tenureMonths);
      customers.tenureMax = Math.max(customers.tenureMax, c.tenureMonths);
    },
    result() {
      let shopperTxSum = 0;
      let monthsSum = 0;
      for (const s of shopperTx.values()) {
        shopperTxSum += s.tx.size;
        monthsSum += popcount(s.months);
      }
      const shoppers = shopperTx.size;
      const categories = Object.fromEntries(
        [...cats]
          .sort((a, b) => b[1].lines - a[1].lines)
          .map(([name, c]) => [name, { lines: c.lines, share: c.lines / lines, meanPrice: c.price / c.lines }]),
      );
      return {
        shoppers,
        lines,
        products: skus.size,
        firstDate: first,
        lastDate: last,
        categories,
        customers,
        transactions: txOwners.size,
        sharedTransactionIds: [...txOwners.values()].filter((o) => o === null).length,
        linesPerTransaction: lines / Math.max(1, shopperTxSum),
        transactionsPerShopper: shopperTxSum / Math.max(1, shoppers),
        activeMonthsPerShopper: monthsSum / Math.max(1, shoppers),
        couponShares: {
          clicked: coupons.clicked / lines,
          used: coupons.used / lines,
          not_used: coupons.not_used / lines,
        },
        quantity: { ...quantiles(qty, lines), mean: qtySum / Math.max(1, lines) },
      };
    },
  };
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}

function quantiles(hist: Map<number, number>, n: number) {
  const keys = [...hist.keys()].sort((a, b) => a - b);
  const at = (q: number) => {
    const rank = Math.ceil(q * n);
    let acc = 0;
    for (const k of keys) if ((acc += hist.get(k)!) >= rank) return k;
    return NaN;
  };
  return { median: at(0.5), p95: at(0.95), max: keys[keys.length - 1] ?? NaN };
}

export interface Check {
  name: string;
  actual: number;
  target: number;
  tolerance: string;
  ok: boolean;
}

/** Every published target against the stats of a default-scale shop, with TOLERANCE. */
export function checkAgainstCalibration(s: ShopStats, cal: Calibration): Check[] {
  const checks: Check[] = [];
  const rel = (name: string, actual: number, target: number, tol: number) =>
    checks.push({
      name,
      actual,
      target,
      tolerance: `±${(tol * 100).toFixed(1)}%`,
      ok: Math.abs(actual - target) <= tol * target,
    });
  const abs = (name: string, actual: number, target: number, tol: number) =>
    checks.push({ name, actual, target, tolerance: `±${tol}`, ok: Math.abs(actual - target) <= tol });
  abs('shoppers', s.shoppers, cal.shoppers, 0);
  rel('transactions', s.transactions, cal.transactions, TOLERANCE.countsRel);
  rel('lines', s.lines, cal.lines, TOLERANCE.countsRel);
  rel('lines per transaction', s.linesPerTransaction, cal.lines / cal.transactions, TOLERANCE.linesPerTransactionRel);
  rel('active months per shopper', s.activeMonthsPerShopper, cal.activeMonthsPerShopper, TOLERANCE.activeMonthsRel);
  abs('female share', s.customers.female / s.customers.count, cal.gender.F, TOLERANCE.genderAbs);
  for (const [region, n] of Object.entries(cal.regions))
    abs(`region ${region}`, s.customers.regions[region] ?? 0, n, 0);
  abs('tenure min', s.customers.tenureMin, cal.tenureMonths.min, 0);
  abs('tenure max', s.customers.tenureMax, cal.tenureMonths.max, 0);
  for (const k of ['clicked', 'used', 'not_used'] as const)
    abs(`coupon ${k}`, s.couponShares[k], cal.couponStatus[k], TOLERANCE.couponShareAbs);
  abs('quantity median', s.quantity.median, cal.quantity.median, 0);
  abs('quantity p95', s.quantity.p95, cal.quantity.p95, TOLERANCE.quantityP95Abs);
  checks.push({
    name: 'quantity max',
    actual: s.quantity.max,
    target: cal.quantity.max,
    tolerance: '[450, 900]',
    ok: s.quantity.max >= 450 && s.quantity.max <= cal.quantity.max,
  });
  checks.push({
    name: 'products sold',
    actual: s.products,
    target: cal.products,
    tolerance: `>= ${TOLERANCE.productsSoldMin * 100}%`,
    ok: s.products >= TOLERANCE.productsSoldMin * cal.products && s.products <= cal.products,
  });
  const all = totalLines(cal);
  for (const c of cal.categories) {
    const got = s.categories[c.name];
    const share = (got?.lines ?? 0) / Math.max(1, s.lines);
    const target = c.lines / all;
    if (target >= 0.05) rel(`share ${c.name}`, share, target, TOLERANCE.bigCategoryRel);
    else abs(`share ${c.name}`, share, target, TOLERANCE.smallCategoryAbs);
    if (c.pricePublished) rel(`mean price ${c.name}`, got?.meanPrice ?? 0, c.meanPrice, TOLERANCE.meanPriceRel);
  }
  checks.push({
    name: 'first date',
    actual: Number(s.firstDate.replace(/-/g, '')),
    target: 20190101,
    tolerance: '>=',
    ok: s.firstDate >= cal.firstDate,
  });
  checks.push({
    name: 'last date',
    actual: Number(s.lastDate.replace(/-/g, '')),
    target: 20191231,
    tolerance: '<=',
    ok: s.lastDate <= cal.lastDate,
  });
  return checks;
}
