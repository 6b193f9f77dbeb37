import { z } from 'zod';

// One place for the API contract: every response is parsed with these, so drift shows as an error state.

export const reasonSchema = z.object({ code: z.string(), text: z.string() });

export const recommendedProductSchema = z.object({
  product_id: z.number().int(),
  category_id: z.number().int(),
  title: z.string(),
  price: z.number(),
  image_url: z.string(),
});

export const recommendedCategorySchema = z.object({
  category_id: z.number().int(),
  name: z.string(),
  score: z.number(),
  reasons: z.array(reasonSchema),
});

export const homeRecommendationsSchema = z.object({
  user_nickname: z.string(),
  recommendations: z.array(recommendedProductSchema),
  categories: z.array(recommendedCategorySchema).optional(),
  model_version: z.string().nullish(),
  recommendation_id: z.string().nullish(),
  produced_at: z.string().nullish(),
  trigger: z.string().nullish(),
  cold_start: z.boolean().optional(),
});

export const productSchema = z.object({
  product_id: z.number().int(),
  category_id: z.number().int(),
  category_name: z.string(),
  title: z.string(),
  price: z.number(),
  image_url: z.string(),
});

export const productPageSchema = z.object({ items: z.array(productSchema), next_cursor: z.string().nullable() });

export const categoriesSchema = z.object({
  items: z.array(z.object({ category_id: z.number().int(), name: z.string(), product_count: z.number().int() })),
});

export const userSchema = z.object({ user_id: z.number().int(), nickname: z.string() });

export const userPageSchema = z.object({ items: z.array(userSchema), next_cursor: z.string().nullable() });

export const orderSchema = z.object({
  order_id: z.string(),
  user_id: z.number().int(),
  placed_at: z.string(),
  items: z.array(z.object({ product_id: z.number().int(), quantity: z.number().int(), unit_price: z.number() })),
  total: z.number(),
});

export const eventsAcceptedSchema = z.object({ accepted: z.number().int() });

export const opsOverviewSchema = z.object({
  freshness: z.object({
    buckets: z.array(z.object({ le: z.number().nullable(), count: z.number() })),
    count: z.number(),
    p50_ms: z.number().nullable(),
    p95_ms: z.number().nullable(),
    p99_ms: z.number().nullable(),
  }),
  lag: z.array(z.object({ group: z.string(), topic: z.string(), lag: z.number() })),
  rates: z.array(z.object({ name: z.string(), per_second: z.number() })),
  dlq: z.array(z.object({ topic: z.string(), count: z.number() })),
  jobs: z.array(
    z.object({
      job: z.string(),
      run_id: z.string(),
      status: z.string(),
      started_at: z.string().nullish(),
      finished_at: z.string().nullish(),
      duration_ms: z.number().nullish(),
      counts: z.record(z.string(), z.unknown()).optional(),
      reason: z.string().optional(),
    }),
  ),
  models: z.array(
    z.object({
      version: z.string(),
      status: z.string(),
      created_at: z.string(),
      backend: z.string(),
      metrics: z.object({ ndcg3: z.number(), recall3: z.number() }),
      table: z.array(z.object({ model: z.string(), ndcg3: z.number(), recall3: z.number() })).optional(),
    }),
  ),
  online: z.array(
    z.object({
      model_version: z.string(),
      topic: z.enum(['champion', 'shadow']).nullable().optional(),
      recommendations: z.number().optional(),
      impressions: z.number(),
      clicks: z.number(),
      ctr: z.number(),
      orders: z.number(),
      hits: z.number(),
      hit_rate: z.number(),
    }),
  ),
});

export const jobAcceptedSchema = z.object({ run_id: z.string() });

export const problemSchema = z.object({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.string().optional(),
  errors: z.unknown().optional(),
});

export type Reason = z.infer<typeof reasonSchema>;
export type RecommendedProduct = z.infer<typeof recommendedProductSchema>;
export type RecommendedCategory = z.infer<typeof recommendedCategorySchema>;
export type HomeRecommendations = z.infer<typeof homeRecommendationsSchema>;
export type Product = z.infer<typeof productSchema>;
export type ProductPage = z.infer<typeof productPageSchema>;
export type Categories = z.infer<typeof categoriesSchema>;
export type User = z.infer<typeof userSchema>;
export type UserPage = z.infer<typeof userPageSchema>;
export type Order = z.infer<typeof orderSchema>;
export type OpsOverview = z.infer<typeof opsOverviewSchema>;
export type Problem = z.infer<typeof problemSchema>;
