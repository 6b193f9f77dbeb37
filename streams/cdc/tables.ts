import { z } from 'zod';
import { datetimeMs, decimal, id, nullableString } from './columns.ts';

/**
 * Row schemas of the tables Debezium streams, decoded into camelCase records with proper types.
 * Unknown columns are dropped, so adding a column to the shop never breaks a consumer.
 */
export const userRow = z
  .object({
    id,
    external_ref: nullableString.optional(),
    nickname: z.string(),
    gender: z.enum(['F', 'M']),
    region: z.string(),
    joined_at: datetimeMs,
    tenure_months: z.number().int().min(0),
    updated_at: datetimeMs.optional(),
  })
  .transform((r) => ({
    id: r.id,
    externalRef: r.external_ref ?? null,
    nickname: r.nickname,
    gender: r.gender,
    region: r.region,
    joinedAt: r.joined_at,
    tenureMonths: r.tenure_months,
    updatedAt: r.updated_at ?? null,
  }));

export const categoryRow = z.object({ id, name: z.string() });

export const productRow = z
  .object({
    id,
    sku: z.string(),
    category_id: id,
    title: z.string(),
    price: decimal,
    image_url: z.string(),
    updated_at: datetimeMs.optional(),
  })
  .transform((r) => ({
    id: r.id,
    sku: r.sku,
    categoryId: r.category_id,
    title: r.title,
    price: r.price,
    imageUrl: r.image_url,
    updatedAt: r.updated_at ?? null,
  }));

export const orderStatus = z.enum(['placed', 'paid', 'cancelled', 'refunded']);
export const couponStatus = z.enum(['clicked', 'used', 'not_used']);

export const orderRow = z
  .object({
    id,
    external_ref: nullableString.optional(),
    user_id: id,
    status: orderStatus,
    coupon_status: couponStatus.nullable().optional(),
    coupon_id: id.nullable().optional(),
    delivery_charge: decimal,
    placed_at: datetimeMs,
    updated_at: datetimeMs.optional(),
  })
  .transform((r) => ({
    id: r.id,
    externalRef: r.external_ref ?? null,
    userId: r.user_id,
    status: r.status,
    couponStatus: r.coupon_status ?? null,
    couponId: r.coupon_id ?? null,
    deliveryCharge: r.delivery_charge,
    placedAt: r.placed_at,
    updatedAt: r.updated_at ?? null,
  }));

export const orderItemRow = z
  .object({
    id,
    order_id: id,
    product_id: id,
    quantity: z.number().int(),
    unit_price: decimal,
  })
  .transform((r) => ({
    id: r.id,
    orderId: r.order_id,
    productId: r.product_id,
    quantity: r.quantity,
    unitPrice: r.unit_price,
  }));

export type UserRow = z.output<typeof userRow>;
export type CategoryRow = z.output<typeof categoryRow>;
export type ProductRow = z.output<typeof productRow>;
export type OrderRow = z.output<typeof orderRow>;
export type OrderItemRow = z.output<typeof orderItemRow>;
