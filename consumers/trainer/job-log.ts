import type { JobEvent, JobName } from '../../streams/control/job-event.ts';

/** What the control topic says about one run of a job. */
export interface RunState {
  runId: string;
  request: JobEvent | null;
  started: boolean;
  finished: 'done' | 'failed' | null;
}

export interface JobLog {
  apply(e: JobEvent): void;
  /** Whether any worker has taken this run (started, done or failed): then it is never run again. */
  taken(runId: string): boolean;
  /** Requested runs no worker has taken, oldest request first. */
  pending(): JobEvent[];
  /** Runs that started and never finished: the worker died. */
  interrupted(): RunState[];
  run(runId: string): RunState | undefined;
}

/**
 * The fold of control.jobs.v1 for one job. Statuses of one run are separate keys, so they can
 * arrive in any order on a replay; the fold keeps the strongest fact seen for each run.
 */
export function createJobLog(job: JobName): JobLog {
  const runs = new Map<string, RunState>();
  const state = (runId: string) => {
    let s = runs.get(runId);
    if (!s) runs.set(runId, (s = { runId, request: null, started: false, finished: null }));
    return s;
  };
  return {
    apply(e) {
      if (e.job !== job) return;
      const s = state(e.runId);
      if (e.status === 'requested') s.request ??= e;
      else if (e.status === 'started' || e.status === 'progress') s.started = true;
      else s.finished = e.status;
    },
    taken: (runId) => {
      const s = runs.get(runId);
      return !!s && (s.started || s.finished !== null);
    },
    pending: () =>
      [...runs.values()]
        .filter((s) => s.request && !s.started && !s.finished)
        .map((s) => s.request!)
        .sort((a, b) => a.at.localeCompare(b.at)),
    interrupted: () => [...runs.values()].filter((s) => s.started && !s.finished),
    run: (runId) => runs.get(runId),
  };
}
