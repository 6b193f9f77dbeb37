import { z } from '@hono/zod-openapi';

/** GET /ops/overview, in the shape the ops page parses (web/src/lib/api-types.ts). */
export const freshnessBody = z.object({
  buckets: z.array(z.object({ le: z.number().nullable(), count: z.number() })),
  count: z.number(),
  p50_ms: z.number().nullable(),
  p95_ms: z.number().nullable(),
  p99_ms: z.number().nullable(),
});

export const jobBody = z.object({
  job: z.string(),
  run_id: z.string(),
  status: z.string(),
  started_at: z.string().nullable().optional(),
  finished_at: z.string().nullable().optional(),
  duration_ms: z.number().nullable().optional(),
  counts: z.record(z.string(), z.unknown()).optional(),
  reason: z.string().optional(),
});

export const modelBody = z.object({
  version: z.string(),
  status: z.string(),
  created_at: z.string(),
  backend: z.string(),
  metrics: z.object({ ndcg3: z.number(), recall3: z.number() }),
  table: z.array(z.object({ model: z.string(), ndcg3: z.number(), recall3: z.number() })).optional(),
});

export const onlineBody = z.object({
  model_version: z.string(),
  /** recommendations.v1 (champion) or recommendations.shadow.v1 (shadow); null: shown but never produced (popularity). */
  topic: z.enum(['champion', 'shadow']).nullable().optional(),
  /** Recommendations of this version read from its topic (the champion's topic is compacted). */
  recommendations: z.number().optional(),
  impressions: z.number(),
  clicks: z.number(),
  ctr: z.number(),
  orders: z.number(),
  hits: z.number(),
  hit_rate: z.number(),
});

export const opsOverviewBody = z
  .object({
    freshness: freshnessBody,
    lag: z.array(z.object({ group: z.string(), topic: z.string(), lag: z.number() })),
    rates: z.array(z.object({ name: z.string(), per_second: z.number() })),
    dlq: z.array(z.object({ topic: z.string(), count: z.number() })),
    jobs: z.array(jobBody),
    models: z.array(modelBody),
    online: z.array(onlineBody),
  })
  .openapi('OpsOverview');

export const jobAcceptedBody = z.object({ run_id: z.string() }).openapi('JobAccepted');

export const promoteRequest = z.strictObject({ force: z.boolean().optional() }).openapi('PromoteRequest');

export const modelDecisionBody = z
  .object({ version: z.string(), promoted: z.boolean(), reason: z.string() })
  .openapi('ModelDecision');

export type OpsOverview = z.infer<typeof opsOverviewBody>;
export type Freshness = z.infer<typeof freshnessBody>;
export type JobRow = z.infer<typeof jobBody>;
export type ModelRow = z.infer<typeof modelBody>;
export type OnlineRow = z.infer<typeof onlineBody>;
