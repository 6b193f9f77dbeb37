import type { JobEvent, JobName } from '../../streams/control/job-event.ts';

/** How far one partition of a split job got; the sweep resumes after `lastUserId`. */
export interface PartitionProgress {
  lastUserId: number;
  scored: number;
  done: boolean;
}

export interface RunState {
  runId: string;
  job: JobName;
  requestedBy: string | null;
  requestedAt: string | null;
  /** Earliest `started` of any worker: the run's duration counts from here. */
  startedAt: string | null;
  partitions: Map<number, PartitionProgress>;
  done: JobEvent | null;
  failed: JobEvent | null;
  /** The latest event seen, for `status`. */
  last: JobEvent;
}

/**
 * The state of every run, folded from control-topic events. Order-independent (progress only
 * moves forward, the first done/failed wins), so events read from several workers in any order,
 * or read twice, give the same state.
 */
export interface JobLedger {
  apply(e: JobEvent): RunState;
  run(runId: string): RunState | undefined;
  runs(): RunState[];
  /** Requested and neither done nor failed, oldest request first. */
  unfinished(jobs: readonly JobName[]): RunState[];
  /** Whether partitions 0..n-1 are all done. */
  allPartitionsDone(runId: string, n: number): boolean;
}

const earlier = (a: string | null, b: string) => (a === null || b < a ? b : a);

export function createJobLedger(): JobLedger {
  const runs = new Map<string, RunState>();
  const stateOf = (e: JobEvent): RunState => {
    let s = runs.get(e.runId);
    if (!s) {
      s = {
        runId: e.runId,
        job: e.job,
        requestedBy: null,
        requestedAt: null,
        startedAt: null,
        partitions: new Map(),
        done: null,
        failed: null,
        last: e,
      };
      runs.set(e.runId, s);
    }
    return s;
  };
  const applyProgress = (s: RunState, e: JobEvent) => {
    const c = e.counts;
    if (!c || c.partition === undefined) return;
    const prev = s.partitions.get(c.partition) ?? { lastUserId: 0, scored: 0, done: false };
    s.partitions.set(c.partition, {
      lastUserId: Math.max(prev.lastUserId, c.lastUserId ?? 0),
      scored: Math.max(prev.scored, c.scored ?? 0),
      done: prev.done || c.done === 1,
    });
  };
  return {
    apply(e) {
      const s = stateOf(e);
      if (e.at >= s.last.at) s.last = e;
      if (e.status === 'requested') {
        s.requestedAt = earlier(s.requestedAt, e.at);
        s.requestedBy ??= e.requestedBy;
      }
      if (e.status === 'started') s.startedAt = earlier(s.startedAt, e.at);
      if (e.status === 'started' || e.status === 'progress') applyProgress(s, e);
      if (e.status === 'done' && e.counts?.partition === undefined) s.done ??= e;
      if (e.status === 'failed') s.failed ??= e;
      return s;
    },
    run: (id) => runs.get(id),
    runs: () => [...runs.values()],
    unfinished: (jobs) =>
      [...runs.values()]
        .filter((s) => jobs.includes(s.job) && s.requestedAt !== null && !s.done && !s.failed)
        .sort((a, b) => a.requestedAt!.localeCompare(b.requestedAt!)),
    allPartitionsDone(runId, n) {
      const s = runs.get(runId);
      if (!s) return false;
      for (let p = 0; p < n; p++) if (!s.partitions.get(p)?.done) return false;
      return true;
    },
  };
}
