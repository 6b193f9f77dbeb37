import { describe, expect, it } from 'vitest';
import { compareToBaselines } from './compare.ts';

describe('compareToBaselines', () => {
  it('reports model minus baseline on NDCG@3 and Recall@3 with an interval that excludes 0 for a clear win', () => {
    const K = 5;
    const n = 300;
    // Truth is always category 4; the model ranks it first, the baseline never shows it in its top 3.
    const truth = Array.from({ length: n }, () => ({ primary: 4, relevant: [4] }));
    const model = new Float32Array(n * K),
      baseline = new Float32Array(n * K);
    for (let i = 0; i < n; i++) {
      model.set([0.1, 0.1, 0.1, 0.1, 0.6], i * K);
      baseline.set([0.5, 0.3, 0.1, 0.05, 0.05], i * K);
    }
    const shoppers = Array.from({ length: n }, (_, i) => i % 60);
    const rows = compareToBaselines(
      { name: 'm', scores: model },
      [{ name: 'b', scores: baseline }],
      truth,
      shoppers,
      K,
    );
    expect(rows.map((r) => r.metric)).toEqual(['ndcg@3', 'recall@3']);
    for (const r of rows) {
      expect(r).toMatchObject({ model: 'm', baseline: 'b' });
      expect(r.diff).toBeCloseTo(1);
      expect(r.lo).toBeGreaterThan(0);
    }
  });
});
