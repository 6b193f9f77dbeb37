import { z } from '@hono/zod-openapi';

/** GET /recommendations/home: the original contract plus optional fields old clients ignore. */
export const reasonBody = z.object({ code: z.string(), text: z.string() }).openapi('Reason');

export const recommendedProductBody = z
  .object({
    product_id: z.number().int(),
    category_id: z.number().int(),
    title: z.string(),
    price: z.number(),
    image_url: z.string(),
  })
  .openapi('RecommendedProduct');

export const recommendedCategoryBody = z
  .object({
    category_id: z.number().int(),
    name: z.string(),
    score: z.number(),
    reasons: z.array(reasonBody),
  })
  .openapi('RecommendedCategory');

export const homeBody = z
  .object({
    user_nickname: z.string(),
    recommendations: z.array(recommendedProductBody),
    categories: z.array(recommendedCategoryBody).optional(),
    model_version: z.string().nullable().optional(),
    recommendation_id: z.string().nullable().optional(),
    produced_at: z.string().nullable().optional(),
    trigger: z.string().nullable().optional(),
    cold_start: z.boolean().optional(),
  })
  .openapi('HomeRecommendations');

export type HomeBody = z.infer<typeof homeBody>;
export type RecommendedProductBody = z.infer<typeof recommendedProductBody>;
export type RecommendedCategoryBody = z.infer<typeof recommendedCategoryBody>;
