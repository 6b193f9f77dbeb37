import { z } from '@hono/zod-openapi';

export const productBody = z
  .object({
    product_id: z.number().int(),
    category_id: z.number().int(),
    category_name: z.string(),
    title: z.string(),
    price: z.number(),
    image_url: z.string(),
  })
  .openapi('Product');

export const productPageBody = z
  .object({ items: z.array(productBody), next_cursor: z.string().nullable() })
  .openapi('ProductPage');

export const categoryBody = z
  .object({ category_id: z.number().int(), name: z.string(), product_count: z.number().int() })
  .openapi('Category');

export const categoriesBody = z.object({ items: z.array(categoryBody) }).openapi('Categories');

export const userBody = z.object({ user_id: z.number().int(), nickname: z.string() }).openapi('User');

export const userPageBody = z
  .object({ items: z.array(userBody), next_cursor: z.string().nullable() })
  .openapi('UserPage');

export type ProductBody = z.infer<typeof productBody>;
export type CategoryBody = z.infer<typeof categoryBody>;
export type UserBody = z.infer<typeof userBody>;
