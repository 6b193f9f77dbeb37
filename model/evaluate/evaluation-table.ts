import { KS, type Metrics } from './metrics.ts';

/** One row per scorer on the same held-out snapshots; `kind` says how to read it. */
export interface EvaluationRow {
  name: string;
  kind: 'model' | 'baseline' | 'ceiling';
  metrics: Metrics;
}

export interface EvaluationTable {
  /** Held-out snapshots (epoch ms) the rows were computed on. */
  testFrom: number;
  testTo: number;
  samples: number;
  rows: EvaluationRow[];
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
  const head = 'scorer'.padEnd(nameWidth) + COLUMNS.map((c) => c.title.padStart(8)).join('') + (ceiling ? '  %ceil' : '');
  const lines = [
    `held-out snapshots ${new Date(t.testFrom).toISOString().slice(0, 10)}..${new Date(t.testTo).toISOString().slice(0, 10)}, ${t.samples} samples`,
    head,
    '-'.repeat(head.length),
  ];
  for (const r of t.rows) {
    const share = ceiling ? `  ${((r.metrics.ranking['ndcg@3']! / ceiling) * 100).toFixed(1).padStart(5)}` : '';
    lines.push(r.name.padEnd(nameWidth) + COLUMNS.map((c) => c.get(r.metrics).toFixed(4).padStart(8)).join('') + share);
  }
  return lines;
}

/** Does the model beat every baseline on NDCG@3 and Recall@3, and what share of the ceiling's NDCG@3 does it reach? */
export function targetsMet(t: EvaluationTable, modelName: string): { beatsBaselines: boolean; ceilingShare: number | null } {
  const model = t.rows.find((r) => r.name === modelName)!.metrics.ranking;
  const baselines = t.rows.filter((r) => r.kind === 'baseline').map((r) => r.metrics.ranking);
  const beats = baselines.every((b) => model['ndcg@3']! > b['ndcg@3']! && model['recall@3']! > b['recall@3']!);
  const ceiling = t.rows.find((r) => r.kind === 'ceiling')?.metrics.ranking['ndcg@3'];
  return { beatsBaselines: beats, ceilingShare: ceiling ? model['ndcg@3']! / ceiling : null };
}
