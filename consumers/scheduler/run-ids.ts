import type { JobName } from '../../streams/control/job-event.ts';
import type { JobLedger } from '../shared/job-ledger.ts';

/** The run id of a scheduled occurrence: one per job and calendar day (UTC), e.g. `daily-sweep:2026-11-29`. */
export const scheduledRunId = (job: JobName, at: Date) => `${job}:${at.toISOString().slice(0, 10)}`;

/**
 * The occurrence to catch up on start, if any: the latest one that was due (today's once its time
 * has passed, else yesterday's) when the topic has no `done` for it. Older misses are not replayed:
 * one sweep covers every shopper anyway. Re-requesting a run that is under way is harmless.
 */
export function missedRun(job: JobName, lastDue: Date | null, ledger: JobLedger): string | null {
  if (!lastDue) return null;
  const runId = scheduledRunId(job, lastDue);
  return ledger.run(runId)?.done ? null : runId;
}
