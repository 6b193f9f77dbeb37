import { z } from 'zod';
import { defineTopic } from '../topic.ts';

const isoTime = z.iso.datetime({ offset: true });

export const JOBS = ['daily-sweep', 'retrain', 'rescore'] as const;
export type JobName = (typeof JOBS)[number];

/**
 * A job's command and its progress, on one compacted topic keyed by `<job>:<runId>`. The scheduler
 * (or a person, or the API) only publishes `requested`; the workers write the rest. Publishing the
 * same run id twice is harmless: a worker runs a run id once.
 */
export const jobEventSchema = z.object({
  job: z.enum(JOBS),
  /** e.g. `daily-sweep:2026-11-29`, or `retrain:manual-<uuid>`. */
  runId: z.string().min(1),
  status: z.enum(['requested', 'started', 'progress', 'done', 'failed']),
  /** Who asked: `schedule`, `catch-up`, `volume`, `command`, `api`. */
  requestedBy: z.string(),
  /** The worker instance reporting (host:pid), null for requests. */
  worker: z.string().nullable(),
  /** For split work (the sweep): which partitions this worker covers. */
  partitions: z.array(z.number().int().min(0)).nullable(),
  counts: z.record(z.string(), z.number()).nullable(),
  durationMs: z.number().min(0).nullable(),
  reason: z.string().nullable(),
  at: isoTime,
});

export type JobEvent = z.output<typeof jobEventSchema>;

export const jobsTopic = defineTopic({
  name: 'control.jobs.v1',
  schema: jobEventSchema,
  key: (j) => `${j.runId}:${j.status}${j.worker ? `:${j.worker}` : ''}`,
  cleanupPolicy: 'compact',
  description: 'Daily jobs as events: commands (requested) and worker status (started/progress/done/failed)',
});
