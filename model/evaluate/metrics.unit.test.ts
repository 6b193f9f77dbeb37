import { describe, expect, it } from 'vitest';
import { evaluateScores, rankingPerRow, topK } from './metrics.ts';

describe('metrics', () => {
  it('ranks top-k best first, ties to the lower index', () => {
    expect(topK([0.1, 0.5, 0.5, 0.3], 0, 4, 3)).toEqual([1, 2, 3]);
  });

  it('computes accuracy, macro P/R/F1 and Recall/NDCG/HitRate@k by hand', () => {
    const K = 3;
    // Row 0 ranks [0, 1, 2], row 1 ranks [2, 1, 0].
    const scores = [0.6, 0.3, 0.1, 0.1, 0.2, 0.7];
    const m = evaluateScores(
      scores,
      [
        { primary: 0, relevant: [0, 2] },
        { primary: 1, relevant: [1] },
      ],
      K,
    );
    expect(m.accuracy).toBe(0.5);
    // Class 0: tp 1; class 1: fn 1; class 2: fp 1 -> P = (1 + 0 + 0)/3, R = (1 + 0 + 0)/3 (class 2 has no support: 0)
    expect(m.macroPrecision).toBeCloseTo(1 / 3);
    expect(m.macroRecall).toBeCloseTo(1 / 3);
    expect(m.macroF1).toBeCloseTo(1 / 3);
    expect(m.ranking['recall@1']).toBeCloseTo((0.5 + 0) / 2);
    expect(m.ranking['hitRate@1']).toBeCloseTo(0.5);
    expect(m.ranking['recall@3']).toBeCloseTo(1);
    // Row 0: hits at ranks 1 and 3 -> (1 + 1/2) / (1 + 1/log2(3)); row 1: hit at rank 2 -> (1/log2(3)) / 1.
    const row0 = (1 + 0.5) / (1 + 1 / Math.log2(3));
    const row1 = 1 / Math.log2(3);
    expect(m.ranking['ndcg@3']).toBeCloseTo((row0 + row1) / 2);
    expect(m.ranking['ndcg@1']).toBeCloseTo(0.5);
  });
});

describe('rankingPerRow', () => {
  it('averages to the same figure evaluateScores reports', () => {
    const K = 4;
    const scores = [0.4, 0.3, 0.2, 0.1, 0.1, 0.2, 0.3, 0.4, 0.25, 0.25, 0.4, 0.1];
    const truth = [
      { primary: 3, relevant: [3] },
      { primary: 0, relevant: [0, 3] },
      { primary: 1, relevant: [1, 2] },
    ];
    const all = evaluateScores(scores, truth, K).ranking;
    for (const [metric, k] of [
      ['recall', 3],
      ['ndcg', 3],
      ['hitRate', 1],
    ] as const) {
      const rows = rankingPerRow(scores, truth, K, metric, k);
      expect(rows).toHaveLength(3);
      expect(rows.reduce((a, b) => a + b, 0) / 3).toBeCloseTo(all[`${metric}@${k}`]!);
    }
  });
});
