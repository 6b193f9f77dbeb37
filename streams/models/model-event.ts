import { z } from 'zod';
import { defineTopic } from '../topic.ts';

const isoTime = z.iso.datetime({ offset: true });

/** One row of an evaluation table: a model or baseline scored on the same held-out snapshots. */
export const metricRowSchema = z.object({
  model: z.string(),
  ndcg3: z.number(),
  recall3: z.number(),
});

/** A difference between two models on the same rows, with its paired-bootstrap 95% interval. */
export const differenceSchema = z.object({
  metric: z.enum(['ndcg3', 'recall3']),
  versus: z.string(),
  mean: z.number(),
  low: z.number(),
  high: z.number(),
  /** Which scorer is `a` in `a - versus` (absent: the version the event is about). */
  model: z.string().optional(),
});

/** The promotion rule as applied: promote iff mean > minGain and the interval's low end > 0. */
export const gateSchema = z.object({
  metric: z.literal('ndcg3'),
  minGain: z.number(),
  passed: z.boolean(),
});

export const MODEL_EVENTS = [
  'trained',
  'promoted',
  'rejected',
  'rolled-back',
  'shadow-started',
  'shadow-stopped',
] as const;

/**
 * A model version and the latest decision about it. Compacted by version, so the topic is the
 * registry's history; `champion` events also go under the key `champion`, so the current champion
 * is one lookup for any consumer.
 */
export const modelEventSchema = z.object({
  version: z.string().min(1),
  event: z.enum(MODEL_EVENTS),
  status: z.enum(['candidate', 'champion', 'retired', 'shadow']),
  /** Why the gate decided as it did, in one sentence. */
  reason: z.string(),
  /** The champion it was compared with (null for the first model). */
  comparedWith: z.string().nullable(),
  /** Challenger, champion and baselines on the same newest held-out window. */
  metrics: z.array(metricRowSchema),
  differences: z.array(differenceSchema),
  dataFrom: isoTime.nullable(),
  dataTo: isoTime.nullable(),
  backend: z.string(),
  runId: z.string().nullable(),
  at: isoTime,
  /** The gate's rule and outcome, on decisions the trainer (or `train --promote`) made. */
  gate: gateSchema.optional(),
  /** The held-out window both models were scored on. */
  testFrom: isoTime.optional(),
  testTo: isoTime.optional(),
  /** Who decided: `trainer`, `command`, `train`. */
  decidedBy: z.string().optional(),
});

export type ModelEvent = z.output<typeof modelEventSchema>;

export const modelsTopic = defineTopic({
  name: 'models.v1',
  schema: modelEventSchema,
  key: (m) => m.version,
  cleanupPolicy: 'compact',
  description: 'Model versions and every gate decision: metrics tables, intervals, data range, backend (key: version)',
});

export const CHAMPION_KEY = 'champion';
