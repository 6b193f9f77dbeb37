import { jobEventSchema, type JobEvent } from '../../streams/control/job-event.ts';
import type { JobRow } from '../schemas/ops.ts';

/** The last runs from control.jobs.v1, one row per run, folded from its requested/started/done events. */
export interface JobsView {
  accept(value: unknown): void;
  latest(n?: number): JobRow[];
}

export function createJobsView(capacity = 200): JobsView {
  const runs = new Map<string, JobRow & { touched: string }>();
  const fold = (e: JobEvent) => {
    const key = `${e.job}|${e.runId}`;
    const row = runs.get(key) ?? { job: e.job, run_id: e.runId, status: e.status, touched: e.at };
    if (e.status === 'requested') row.started_at ??= null;
    if (e.status === 'started') row.started_at = e.at;
    if (e.status === 'done' || e.status === 'failed') {
      row.finished_at = e.at;
      if (e.durationMs !== null) row.duration_ms = e.durationMs;
    }
    if (e.counts) row.counts = { ...(row.counts ?? {}), ...e.counts };
    if (e.reason) row.reason = e.reason;
    // A late `requested` replay must not hide that the run already finished.
    const rank = { requested: 0, started: 1, progress: 2, done: 3, failed: 3 } as const;
    if (rank[e.status] >= rank[row.status as JobEvent['status']]) row.status = e.status;
    if (e.at > row.touched) row.touched = e.at;
    runs.delete(key);
    runs.set(key, row);
    if (runs.size > capacity) runs.delete(runs.keys().next().value as string);
  };
  return {
    accept(value) {
      fold(jobEventSchema.parse(value));
    },
    latest(n = 20) {
      return [...runs.values()]
        .sort((a, b) => b.touched.localeCompare(a.touched))
        .slice(0, n)
        .map(({ touched: _t, ...row }) => row);
    },
  };
}
