import { toFreshnessBins } from './freshness-bins';

describe('toFreshnessBins', () => {
  it('de-cumulates Prometheus-style buckets and labels the open-ended one', () => {
    const bins = toFreshnessBins({
      buckets: [
        { le: null, count: 10 },
        { le: 0.1, count: 5 },
        { le: 1, count: 9 },
      ],
      count: 10,
      p50_ms: null,
      p95_ms: null,
      p99_ms: null,
    });
    expect(bins).toEqual([
      { label: '≤ 100 ms', count: 5 },
      { label: '≤ 1 s', count: 4 },
      { label: '> 1 s', count: 1 },
    ]);
  });

  it('keeps per-band counts as they are', () => {
    const bins = toFreshnessBins({
      buckets: [
        { le: 0.5, count: 6 },
        { le: 1, count: 3 },
        { le: null, count: 1 },
      ],
      count: 10,
      p50_ms: null,
      p95_ms: null,
      p99_ms: null,
    });
    expect(bins.map((b) => b.count)).toEqual([6, 3, 1]);
  });
});
