import { ValidationError } from '../../core/errors.ts';
import { DEFAULT_LIMITS } from '../../streams/cdc/order-limits.ts';
import type { CategoryMap } from '../../features/category-map.ts';
import type { CustomerRow, DiscountRow, MarketingRow, SalesLine, TaxRow } from '../shop-rows.ts';
import {
  parseCouponStatus,
  parseDate,
  parseGender,
  parseGst,
  parseInteger,
  parseMonth,
  parseNumber,
  parseText,
  type Parsed,
} from './fields.ts';

/**
 * The two layouts of the same data: DACON (Korean headers) and Kaggle (English headers).
 * Columns are found by header name, not position, so reordered or extra columns are fine.
 */
export type FileKind = 'sales' | 'customers' | 'discounts' | 'tax' | 'marketing';
export type Layout = 'dacon' | 'kaggle';

/** Base names (case, spaces and underscores ignored) and the extensions accepted. */
export const FILE_NAMES: Record<FileKind, Record<Layout, string>> = {
  sales: { dacon: 'Onlinesales_info', kaggle: 'Online_Sales' },
  customers: { dacon: 'Customer_info', kaggle: 'CustomersData' },
  discounts: { dacon: 'Discount_info', kaggle: 'Discount_Coupon' },
  tax: { dacon: 'Tax_info', kaggle: 'Tax_amount' },
  marketing: { dacon: 'Marketing_info', kaggle: 'Marketing_Spend' },
};

type Columns = Record<string, { dacon: string; kaggle: string; optional?: boolean }>;

const COLUMNS: Record<FileKind, Columns> = {
  sales: {
    customerId: { dacon: '고객ID', kaggle: 'CustomerID' },
    transactionId: { dacon: '거래ID', kaggle: 'Transaction_ID' },
    date: { dacon: '거래날짜', kaggle: 'Transaction_Date' },
    sku: { dacon: '제품ID', kaggle: 'Product_SKU' },
    description: { dacon: '제품설명', kaggle: 'Product_Description', optional: true },
    category: { dacon: '제품카테고리', kaggle: 'Product_Category' },
    quantity: { dacon: '수량', kaggle: 'Quantity' },
    avgPrice: { dacon: '평균금액', kaggle: 'Avg_Price' },
    deliveryCharge: { dacon: '배송료', kaggle: 'Delivery_Charges' },
    couponStatus: { dacon: '쿠폰상태', kaggle: 'Coupon_Status' },
  },
  customers: {
    customerId: { dacon: '고객ID', kaggle: 'CustomerID' },
    gender: { dacon: '성별', kaggle: 'Gender' },
    region: { dacon: '고객지역', kaggle: 'Location' },
    tenure: { dacon: '가입기간', kaggle: 'Tenure_Months' },
  },
  discounts: {
    month: { dacon: '월', kaggle: 'Month' },
    category: { dacon: '제품카테고리', kaggle: 'Product_Category' },
    couponCode: { dacon: '쿠폰코드', kaggle: 'Coupon_Code' },
    discountPct: { dacon: '할인율', kaggle: 'Discount_pct' },
  },
  tax: {
    category: { dacon: '제품카테고리', kaggle: 'Product_Category' },
    gst: { dacon: 'GST', kaggle: 'GST' },
  },
  marketing: {
    date: { dacon: '날짜', kaggle: 'Date' },
    offline: { dacon: '오프라인비용', kaggle: 'Offline_Spend' },
    online: { dacon: '온라인비용', kaggle: 'Online_Spend' },
  },
};

export const normalizeName = (s: string): string =>
  s
    .normalize('NFKC')
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[\s_\-.]+/g, '');

export interface HeaderIndex {
  layout: Layout;
  /** field -> column index (-1: optional column absent) */
  columns: Record<string, number>;
  width: number;
}

export function resolveHeader(kind: FileKind, header: string[], file: string): HeaderIndex {
  const names = header.map(normalizeName);
  const spec = COLUMNS[kind];
  const score = (layout: Layout) => Object.values(spec).filter((c) => names.includes(normalizeName(c[layout]))).length;
  const layout: Layout = score('dacon') > score('kaggle') ? 'dacon' : 'kaggle';
  const columns: Record<string, number> = {};
  const missing: string[] = [];
  for (const [field, c] of Object.entries(spec)) {
    const i = Math.max(names.indexOf(normalizeName(c.dacon)), names.indexOf(normalizeName(c.kaggle)));
    if (i < 0 && !c.optional) missing.push(c[layout]);
    columns[field] = i;
  }
  if (missing.length) {
    throw new ValidationError(`${file}:1: missing column(s) ${missing.join(', ')} in header "${header.join(',')}"`, {
      path: `${file}:1`,
    });
  }
  return { layout, columns, width: header.length };
}

type Cells = (field: string) => string;

export const ROW_PARSERS = {
  sales: (cell: Cells, map: CategoryMap): Parsed<SalesLine> =>
    all({
      customerId: parseText(cell('customerId'), 'customer id', 32),
      transactionId: parseText(cell('transactionId'), 'transaction id', 32),
      date: orderDate(parseDate(cell('date'))),
      sku: parseText(cell('sku'), 'product id', 32),
      description: { ok: true, value: cell('description').trim() === '' ? null : parseTextOr(cell('description')) },
      category: category(cell('category'), map),
      // The feature consumer's limits: an order the importer writes is never one it dead-letters.
      quantity: parseInteger(cell('quantity'), 'quantity', 1, LIMITS.maxQuantity),
      avgPrice: parseNumber(cell('avgPrice'), 'price', 0, LIMITS.maxUnitPrice),
      deliveryCharge: parseNumber(cell('deliveryCharge'), 'delivery charge', 0, LIMITS.maxDeliveryCharge),
      couponStatus: parseCouponStatus(cell('couponStatus')),
    }),
  customers: (cell: Cells): Parsed<CustomerRow> =>
    all({
      customerId: parseText(cell('customerId'), 'customer id', 32),
      gender: parseGender(cell('gender')),
      region: parseText(cell('region'), 'region', 64),
      tenureMonths: parseInteger(cell('tenure'), 'tenure'),
    }),
  discounts: (cell: Cells, map: CategoryMap): Parsed<DiscountRow> =>
    all({
      month: parseMonth(cell('month')),
      category: category(cell('category'), map),
      couponCode: parseText(cell('couponCode'), 'coupon code', 32),
      discountPct: parseInteger(cell('discountPct').replace('%', ''), 'discount', 0),
    }),
  tax: (cell: Cells, map: CategoryMap): Parsed<TaxRow> =>
    all({ category: category(cell('category'), map), gst: parseGst(cell('gst')) }),
  marketing: (cell: Cells): Parsed<MarketingRow> =>
    all({
      date: parseDate(cell('date')),
      offline: parseNumber(cell('offline'), 'offline spend'),
      online: parseNumber(cell('online'), 'online spend'),
    }),
};

const LIMITS = DEFAULT_LIMITS;

/** A transaction date the consumer accepts as placed_at: not before its earliest, not in the future. */
function orderDate(d: Parsed<string>, now = Date.now()): Parsed<string> {
  if (!d.ok) return d;
  const at = Date.parse(`${d.value}T00:00:00Z`);
  if (at < LIMITS.earliest.getTime())
    return { ok: false, reason: `date ${d.value} before ${LIMITS.earliest.toISOString().slice(0, 10)}` };
  if (at > now + LIMITS.futureSlackMs) return { ok: false, reason: `date ${d.value} is in the future` };
  return d;
}

function parseTextOr(raw: string): string {
  const t = parseText(raw, 'description', 255);
  return t.ok ? t.value : raw.trim().slice(0, 255);
}

function category(raw: string, map: CategoryMap): Parsed<string> {
  const c = map.canonicalRaw(raw);
  return c ? { ok: true, value: c } : { ok: false, reason: `unknown category "${raw}" (not in the category map)` };
}

/** All fields parsed, or the reasons of every field that failed, joined. */
function all<T>(parts: { [K in keyof T]: Parsed<T[K]> }): Parsed<T> {
  const reasons: string[] = [];
  const out: Partial<T> = {};
  for (const [k, p] of Object.entries(parts) as [keyof T, Parsed<unknown>][]) {
    if (p.ok) out[k] = p.value as T[keyof T];
    else reasons.push(p.reason);
  }
  return reasons.length ? { ok: false, reason: reasons.join('; ') } : { ok: true, value: out as T };
}
