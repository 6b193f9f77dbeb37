import type { z } from 'zod';
import {
  categoryRow,
  orderItemRow,
  orderRow,
  productRow,
  userRow,
  type CategoryRow,
  type OrderItemRow,
  type OrderRow,
  type ProductRow,
  type UserRow,
} from './tables.ts';

/**
 * Hand-written twins of the row schemas in tables.ts for the hot path: zod costs ~20 µs per
 * event, a replay reads millions. Each accepts a subset of what its schema accepts and returns
 * the same record; anything else returns undefined and the caller decodes with zod, which
 * then gives the exact error. fast-rows.unit.test.ts holds every twin to its schema.
 */
export type FastRow<R> = (v: unknown) => R | undefined;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isId = (v: unknown): v is number => isInt(v) && v > 0;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const isDecimal = (v: unknown): v is string => typeof v === 'string' && DECIMAL.test(v);
/** undefined: absent; the value otherwise; FAIL: present but invalid. */
const FAIL = Symbol('fail');
const optDate = (v: unknown) => (v === undefined ? null : isInt(v) ? new Date(v) : FAIL);
const optNullableString = (v: unknown) => (v === undefined || v === null ? null : typeof v === 'string' ? v : FAIL);

const fastUser: FastRow<UserRow> = (v) => {
  if (!isObj(v)) return undefined;
  const { id, nickname, gender, region, joined_at, tenure_months } = v;
  const externalRef = optNullableString(v.external_ref);
  const updatedAt = optDate(v.updated_at);
  if (!isId(id) || typeof nickname !== 'string' || (gender !== 'F' && gender !== 'M')) return undefined;
  if (typeof region !== 'string' || !isInt(joined_at) || !isInt(tenure_months) || tenure_months < 0) return undefined;
  if (externalRef === FAIL || updatedAt === FAIL) return undefined;
  return {
    id,
    externalRef,
    nickname,
    gender,
    region,
    joinedAt: new Date(joined_at),
    tenureMonths: tenure_months,
    updatedAt,
  };
};

const fastCategory: FastRow<CategoryRow> = (v) =>
  isObj(v) && isId(v.id) && typeof v.name === 'string' ? { id: v.id, name: v.name } : undefined;

const fastProduct: FastRow<ProductRow> = (v) => {
  if (!isObj(v)) return undefined;
  const { id, sku, category_id, title, price, image_url } = v;
  const updatedAt = optDate(v.updated_at);
  if (!isId(id) || typeof sku !== 'string' || !isId(category_id) || typeof title !== 'string') return undefined;
  if (!isDecimal(price) || typeof image_url !== 'string' || updatedAt === FAIL) return undefined;
  return { id, sku, categoryId: category_id, title, price: Number(price), imageUrl: image_url, updatedAt };
};

const STATUS = new Set(['placed', 'paid', 'cancelled', 'refunded']);
const COUPON = new Set(['clicked', 'used', 'not_used']);

const fastOrder: FastRow<OrderRow> = (v) => {
  if (!isObj(v)) return undefined;
  const { id, user_id, status, delivery_charge, placed_at, coupon_status, coupon_id } = v;
  const externalRef = optNullableString(v.external_ref);
  const updatedAt = optDate(v.updated_at);
  if (!isId(id) || !isId(user_id) || typeof status !== 'string' || !STATUS.has(status)) return undefined;
  if (!isDecimal(delivery_charge) || !isInt(placed_at) || externalRef === FAIL || updatedAt === FAIL) return undefined;
  if (coupon_status != null && (typeof coupon_status !== 'string' || !COUPON.has(coupon_status))) return undefined;
  if (coupon_id != null && !isId(coupon_id)) return undefined;
  return {
    id,
    externalRef,
    userId: user_id,
    status: status as OrderRow['status'],
    couponStatus: (coupon_status ?? null) as OrderRow['couponStatus'],
    couponId: (coupon_id ?? null) as number | null,
    deliveryCharge: Number(delivery_charge),
    placedAt: new Date(placed_at),
    updatedAt,
  };
};

const fastOrderItem: FastRow<OrderItemRow> = (v) => {
  if (!isObj(v)) return undefined;
  const { id, order_id, product_id, quantity, unit_price } = v;
  if (!isId(id) || !isId(order_id) || !isId(product_id) || !isInt(quantity) || !isDecimal(unit_price)) return undefined;
  return { id, orderId: order_id, productId: product_id, quantity, unitPrice: Number(unit_price) };
};

const TWINS = new Map<z.ZodType, FastRow<unknown>>([
  [userRow, fastUser],
  [categoryRow, fastCategory],
  [productRow, fastProduct],
  [orderRow, fastOrder],
  [orderItemRow, fastOrderItem],
]);

/** The fast twin of a row schema, if it has one. */
export const fastRowFor = <R>(schema: z.ZodType): FastRow<R> | undefined => TWINS.get(schema) as FastRow<R> | undefined;
