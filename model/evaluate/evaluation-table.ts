import { formatDifference, type Comparison } from './compare.ts';
import { KS, type Metrics } from './metrics.ts';

/** One row per scorer on the same held-out snapshots; `kind` says how to read it. */
export interface EvaluationRow {
  name: string;
  /** `champion`: the version in service when this one was trained, scored on the same rows. */
  kind: 'model' | 'baseline' | 'ceiling' | 'champion';
  metrics: Metrics;
}

export interface EvaluationTable {
  /** Held-out snapshots (epoch ms) the rows were computed on. */
  testFrom: number;
  testTo: number;
  samples: number;
  rows: EvaluationRow[];
  /** The model minus each baseline with 95% intervals (absent in artifacts from before they were added). */
  comparisons?: Comparison[];
}

const COLUMNS: { title: string; get: (m: Metrics) => number }[] = [
  { title: 'acc', get: (m) => m.accuracy },
  { title: 'P(mac)', get: (m) => m.macroPrecision },
  { title: 'R(mac)', get: (m) => m.macroRecall },
  { title: 'F1(mac)', get: (m) => m.macroF1 },
  ...KS.flatMap((k) => [
    { title: `R@${k}`, get: (m: Metrics) => m.ranking[`recall@${k}`]! },
    { title: `NDCG@${k}`, get: (m: Metrics) => m.ranking[`ndcg@${k}`]! },
    { title: `HR@${k}`, get: (m: Metrics) => m.ranking[`hitRate@${k}`]! },
  ]),
];

/** Fixed-width text table; the last column is NDCG@3 as a share of the ceiling when there is one. */
export function formatTable(t: EvaluationTable): string[] {
  const ceiling = t.rows.find((r) => r.kind === 'ceiling')?.metrics.ranking['ndcg@3'];
  const nameWidth = Math.max(24, ...t.rows.map((r) => r.name.length + 2));
  const head =
    'scorer'.padEnd(nameWidth) + COLUMNS.map((c) => c.title.padStart(8)).join('') + (ceiling ? '  %ceil' : '');
  const lines = [
    `held-out snapshots ${new Date(t.testFrom).toISOString().slice(0, 10)}..${new Date(t.testTo).toISOString().slice(0, 10)}, ${t.samples} samples`,
    head,
    '-'.repeat(head.length),
  ];
  for (const r of t.rows) {
    const share = ceiling ? `  ${((r.metrics.ranking['ndcg@3']! / ceiling) * 100).toFixed(1).padStart(5)}` : '';
    lines.push(r.name.padEnd(nameWidth) + COLUMNS.map((c) => c.get(r.metrics).toFixed(4).padStart(8)).join('') + share);
  }
  return [...lines, ...formatComparisons(t.comparisons ?? [], nameWidth)];
}

function formatComparisons(all: readonly Comparison[], nameWidth: number): string[] {
  if (!all.length) return [];
  const metrics = [...new Set(all.map((c) => c.metric))];
  const lines = ['', `differences with 95% intervals (paired bootstrap over shoppers): ${metrics.join(', ')}`];
  const pairs = [...new Set(all.map((c) => `${c.model} - ${c.baseline}`))];
  const width = Math.max(nameWidth, ...pairs.map((p) => p.length + 2));
  for (const pair of pairs) {
    const cells = metrics.map((m) => {
      const c = all.find((x) => `${x.model} - ${x.baseline}` === pair && x.metric === m);
      return (c ? formatDifference(c) : '').padEnd(38);
    });
    lines.push(`  ${pair.padEnd(width)}${cells.join('')}`.trimEnd());
  }
  return lines;
}

/**
 * Does the model beat every baseline on NDCG@3 and Recall@3 (point estimates; `clearly`: every
 * interval above 0), and what share of the ceiling's NDCG@3 does it reach?
 */
export function targetsMet(
  t: EvaluationTable,
  modelName: string,
): { beatsBaselines: boolean; clearly: boolean | null; ceilingShare: number | null } {
  const model = t.rows.find((r) => r.name === modelName)!.metrics.ranking;
  const baselines = t.rows.filter((r) => r.kind === 'baseline').map((r) => r.metrics.ranking);
  const beats = baselines.every((b) => model['ndcg@3']! > b['ndcg@3']! && model['recall@3']! > b['recall@3']!);
  const ceiling = t.rows.find((r) => r.kind === 'ceiling')?.metrics.ranking['ndcg@3'];
  const baselineNames = new Set(t.rows.filter((r) => r.kind === 'baseline').map((r) => r.name));
  const mine = t.comparisons?.filter((c) => c.model === modelName && baselineNames.has(c.baseline)) ?? [];
  const clearly = mine.length ? mine.every((c) => c.lo > 0) : null;
  return { beatsBaselines: beats, clearly, ceilingShare: ceiling ? model['ndcg@3']! / ceiling : null };
}
