import { describe, expect, it } from 'vitest';
import { freshnessHistogram } from './freshness.ts';
import { createJobsView } from './jobs-view.ts';

describe('freshnessHistogram', () => {
  it('puts each delay in the first bucket it fits and reports quantiles', () => {
    const f = freshnessHistogram([10, 60, 60, 700, 120_000]);
    expect(f.count).toBe(5);
    expect(f.buckets.find((b) => b.le === 0.05)!.count).toBe(1);
    expect(f.buckets.find((b) => b.le === 0.1)!.count).toBe(2);
    expect(f.buckets.find((b) => b.le === 1)!.count).toBe(1);
    expect(f.buckets.at(-1)).toEqual({ le: null, count: 1 });
    expect([f.p50_ms, f.p99_ms]).toEqual([60, 120_000]);
    expect(freshnessHistogram([]).p50_ms).toBeNull();
  });
});

describe('jobs view', () => {
  const event = (status: string, at: string, extra: object = {}) => ({
    job: 'retrain',
    runId: 'retrain:manual-1',
    status,
    requestedBy: 'api',
    worker: null,
    partitions: null,
    counts: null,
    durationMs: null,
    reason: null,
    at,
    ...extra,
  });

  it('folds a run into one row and keeps it finished when its request is replayed', () => {
    const v = createJobsView();
    v.accept(event('requested', '2026-11-29T10:00:00.000Z'));
    v.accept(event('started', '2026-11-29T10:00:01.000Z'));
    v.accept(event('done', '2026-11-29T10:02:01.000Z', { durationMs: 120_000, counts: { shoppers: 5 } }));
    v.accept(event('requested', '2026-11-29T10:00:00.000Z'));
    expect(v.latest()).toEqual([
      {
        job: 'retrain',
        run_id: 'retrain:manual-1',
        status: 'done',
        started_at: '2026-11-29T10:00:01.000Z',
        finished_at: '2026-11-29T10:02:01.000Z',
        duration_ms: 120_000,
        counts: { shoppers: 5 },
      },
    ]);
  });
});
