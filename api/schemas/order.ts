import { z } from '@hono/zod-openapi';
import { MAX_ID } from './common.ts';

export const MAX_QUANTITY = 100;
export const MAX_ORDER_LINES = 50;

const id = z.number().int().min(1).max(MAX_ID);

export const orderRequest = z
  .strictObject({
    user_id: id,
    items: z
      .array(z.strictObject({ product_id: id, quantity: z.number().int().min(1).max(MAX_QUANTITY) }))
      .min(1)
      .max(MAX_ORDER_LINES),
  })
  .openapi('OrderRequest');

export const orderBody = z
  .object({
    order_id: z.string(),
    user_id: z.number().int(),
    status: z.literal('paid'),
    placed_at: z.string(),
    items: z.array(z.object({ product_id: z.number().int(), quantity: z.number().int(), unit_price: z.number() })),
    total: z.number(),
  })
  .openapi('Order');

export type OrderRequest = z.infer<typeof orderRequest>;
export type OrderBody = z.infer<typeof orderBody>;
