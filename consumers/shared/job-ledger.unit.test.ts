import { describe, expect, it } from 'vitest';
import { jobEvent } from './job-events.ts';
import { createJobLedger } from './job-ledger.ts';
import { missedRun, scheduledRunId } from '../scheduler/run-ids.ts';

const progress = (partition: number, lastUserId: number, scored: number, done = 0) =>
  jobEvent({
    job: 'daily-sweep',
    runId: 'r',
    status: 'progress',
    worker: `w#p${partition}`,
    counts: { partition, lastUserId, scored, done },
  });

describe('job ledger', () => {
  it('folds progress in any order, forward only, and knows when every partition is done', () => {
    const l = createJobLedger();
    l.apply(jobEvent({ job: 'daily-sweep', runId: 'r', status: 'requested', requestedBy: 'schedule' }));
    l.apply(progress(0, 500, 10));
    l.apply(progress(0, 200, 4));
    expect(l.run('r')!.partitions.get(0)).toEqual({ lastUserId: 500, scored: 10, done: false });
    expect(l.unfinished(['daily-sweep']).map((r) => r.runId)).toEqual(['r']);
    l.apply(progress(0, 900, 20, 1));
    l.apply(progress(1, 900, 20, 1));
    expect(l.allPartitionsDone('r', 2)).toBe(true);
    expect(l.allPartitionsDone('r', 3)).toBe(false);
    l.apply(jobEvent({ job: 'daily-sweep', runId: 'r', status: 'done', counts: { shoppers: 40 } }));
    expect(l.unfinished(['daily-sweep'])).toEqual([]);
  });

  it('a missed daily run is the latest due occurrence without done', () => {
    const l = createJobLedger();
    const due = new Date('2026-11-29T03:00:00Z');
    expect(scheduledRunId('daily-sweep', due)).toBe('daily-sweep:2026-11-29');
    expect(missedRun('daily-sweep', due, l)).toBe('daily-sweep:2026-11-29');
    l.apply(jobEvent({ job: 'daily-sweep', runId: 'daily-sweep:2026-11-29', status: 'done' }));
    expect(missedRun('daily-sweep', due, l)).toBeNull();
  });
});
