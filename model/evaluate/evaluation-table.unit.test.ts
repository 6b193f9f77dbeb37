import { describe, expect, it } from 'vitest';
import { formatTable, targetsMet, type EvaluationTable } from './evaluation-table.ts';
import type { Metrics } from './metrics.ts';

const metrics = (ndcg3: number, recall3: number): Metrics => ({
  n: 10,
  accuracy: 0.5,
  macroPrecision: 0.5,
  macroRecall: 0.5,
  macroF1: 0.5,
  ranking: {
    'recall@1': 0.4,
    'ndcg@1': 0.5,
    'hitRate@1': 0.5,
    'recall@3': recall3,
    'ndcg@3': ndcg3,
    'hitRate@3': 0.9,
    'recall@5': 0.9,
    'ndcg@5': 0.8,
    'hitRate@5': 0.95,
  },
});

const table = (lo: number): EvaluationTable => ({
  testFrom: Date.UTC(2019, 9, 1),
  testTo: Date.UTC(2019, 11, 1),
  samples: 10,
  rows: [
    { name: 'W&D', kind: 'model', metrics: metrics(0.7, 0.79) },
    { name: 'popularity', kind: 'baseline', metrics: metrics(0.68, 0.78) },
    { name: 'ceiling', kind: 'ceiling', metrics: metrics(0.72, 0.8) },
  ],
  comparisons: [
    { model: 'W&D', baseline: 'popularity', metric: 'ndcg@3', diff: 0.02, lo: 0.01, hi: 0.03 },
    { model: 'W&D', baseline: 'popularity', metric: 'recall@3', diff: 0.01, lo, hi: 0.02 },
    { model: 'ceiling', baseline: 'popularity', metric: 'recall@3', diff: 0.02, lo: -0.01, hi: 0.04 },
  ],
});

describe('evaluation table', () => {
  it('says whether the model beats the baselines, and whether every interval of the model is above 0', () => {
    expect(targetsMet(table(0.001), 'W&D')).toEqual({ beatsBaselines: true, clearly: true, ceilingShare: 0.7 / 0.72 });
    // The ceiling's own interval crossing 0 does not count against the model.
    expect(targetsMet(table(-0.001), 'W&D').clearly).toBe(false);
  });

  it('prints one row per scorer and one line per compared pair', () => {
    const lines = formatTable(table(0.001));
    expect(lines[0]).toContain('2019-10-01..2019-12-01, 10 samples');
    expect(
      lines.filter((l) => l.startsWith('W&D ') || l.startsWith('popularity') || l.startsWith('ceiling')),
    ).toHaveLength(3);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ {2}W&D - popularity +ndcg@3 \+0\.0200 \[\+0\.0100, \+0\.0300\] +recall@3 \+0\.0100 \[\+0\.0010, \+0\.0200\]$/,
      ),
    );
    expect(lines.some((l) => l.includes('ceiling - popularity'))).toBe(true);
  });
});
