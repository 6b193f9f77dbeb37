import { describe, expect, it } from 'vitest';
import { sweepCoverage, type SweptRecommendation } from './sweep-coverage.ts';

const run = { runId: 'daily-sweep:x', users: [1, 2, 3, 4], requestedAt: 1_000 };
const swept = (userId: number, runId: string | null = run.runId, producedAt = 2_000): SweptRecommendation => ({
  userId,
  runId,
  producedAt,
});

describe('sweep coverage: every shopper exactly once per run', () => {
  it('holds when each shopper was scored once by the run', () => {
    const c = sweepCoverage(
      run,
      [1, 2, 3, 4].map((u) => swept(u)),
    );
    expect(c).toEqual({ runId: run.runId, covered: 4, missing: [], duplicated: [], skippedForLive: 0 });
  });

  it('finds a shopper scored twice and one never scored', () => {
    const c = sweepCoverage(run, [swept(1), swept(2), swept(2), swept(3)]);
    expect(c.missing).toEqual([4]);
    expect(c.duplicated).toEqual([2]);
  });

  it('excuses a shopper skipped for a live recommendation produced after the request, not before', () => {
    const c = sweepCoverage(run, [swept(1), swept(2), swept(3, null, 1_500), swept(4, null, 500)]);
    expect(c.missing).toEqual([4]);
    expect(c.skippedForLive).toBe(1);
  });

  it('does not count another run of the same shoppers', () => {
    const c = sweepCoverage(
      run,
      [1, 2, 3, 4].map((u) => swept(u, 'daily-sweep:other', 500)),
    );
    expect(c.missing).toEqual([1, 2, 3, 4]);
    expect(c.covered).toBe(0);
  });

  it('lets shoppers who appeared after the request be swept or not', () => {
    const c = sweepCoverage(
      run,
      [1, 2, 3, 4, 5].map((u) => swept(u)),
    );
    expect(c.missing).toEqual([]);
    expect(c.covered).toBe(5);
  });
});
