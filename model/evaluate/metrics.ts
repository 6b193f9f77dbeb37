/**
 * Ranking and classification metrics over score rows [n, K]. The classification metrics
 * (accuracy, macro precision/recall/F1) are the original project's, on the primary category
 * of the next order; the ranking metrics use the whole next order as the relevant set.
 */
export const KS = [1, 3, 5] as const;

export interface Truth {
  primary: number;
  relevant: readonly number[];
}

export interface Metrics {
  n: number;
  accuracy: number;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  /** Keyed by "recall@3" etc. */
  ranking: Record<string, number>;
}

export const METRIC_NAMES = [
  'accuracy',
  'macroPrecision',
  'macroRecall',
  'macroF1',
  ...KS.flatMap((k) => [`recall@${k}`, `ndcg@${k}`, `hitRate@${k}`]),
] as const;

/** Indices of the k highest scores, best first; ties go to the lower index (deterministic). */
export function topK(scores: ArrayLike<number>, offset: number, K: number, k: number): number[] {
  const idx: number[] = [];
  for (let c = 0; c < K; c++) {
    const s = scores[offset + c]!;
    let pos = idx.length;
    while (pos > 0 && scores[offset + idx[pos - 1]!]! < s) pos--;
    if (pos < k) {
      idx.splice(pos, 0, c);
      if (idx.length > k) idx.pop();
    }
  }
  return idx;
}

function rankingAt(
  top: readonly number[],
  relevant: readonly number[],
  k: number,
): { recall: number; ndcg: number; hit: number } {
  let hits = 0,
    dcg = 0;
  for (let i = 0; i < Math.min(k, top.length); i++) {
    if (relevant.includes(top[i]!)) {
      hits++;
      dcg += 1 / Math.log2(i + 2);
    }
  }
  let idcg = 0;
  for (let i = 0; i < Math.min(k, relevant.length); i++) idcg += 1 / Math.log2(i + 2);
  return { recall: hits / relevant.length, ndcg: idcg ? dcg / idcg : 0, hit: hits > 0 ? 1 : 0 };
}

/** Macro over the classes that occur in the truth or the predictions (as scikit-learn does). */
function macro(pred: Int32Array, truth: readonly Truth[], K: number) {
  const tp = new Float64Array(K),
    fp = new Float64Array(K),
    fn = new Float64Array(K);
  truth.forEach((t, i) => {
    const p = pred[i]!;
    if (p === t.primary) tp[p]!++;
    else {
      fp[p]!++;
      fn[t.primary]!++;
    }
  });
  let P = 0,
    R = 0,
    F = 0,
    classes = 0;
  for (let c = 0; c < K; c++) {
    if (tp[c]! + fp[c]! + fn[c]! === 0) continue;
    classes++;
    const prec = tp[c]! + fp[c]! ? tp[c]! / (tp[c]! + fp[c]!) : 0;
    const rec = tp[c]! + fn[c]! ? tp[c]! / (tp[c]! + fn[c]!) : 0;
    P += prec;
    R += rec;
    F += prec + rec ? (2 * prec * rec) / (prec + rec) : 0;
  }
  return classes ? { P: P / classes, R: R / classes, F: F / classes } : { P: 0, R: 0, F: 0 };
}

/** One ranking metric per row (e.g. recall@3 of each snapshot): the input of paired comparisons. */
export function rankingPerRow(
  scores: ArrayLike<number>,
  truth: readonly Truth[],
  K: number,
  metric: 'recall' | 'ndcg' | 'hitRate',
  k: number,
): Float64Array {
  const out = new Float64Array(truth.length);
  const key = metric === 'hitRate' ? 'hit' : metric;
  truth.forEach((t, i) => {
    out[i] = rankingAt(topK(scores, i * K, K, k), t.relevant, k)[key];
  });
  return out;
}

export function evaluateScores(scores: ArrayLike<number>, truth: readonly Truth[], K: number): Metrics {
  const n = truth.length;
  const maxK = Math.max(...KS);
  const sums: Record<string, number> = {};
  const pred = new Int32Array(n);
  let correct = 0;
  truth.forEach((t, i) => {
    const top = topK(scores, i * K, K, maxK);
    pred[i] = top[0]!;
    if (top[0] === t.primary) correct++;
    for (const k of KS) {
      const r = rankingAt(top, t.relevant, k);
      sums[`recall@${k}`] = (sums[`recall@${k}`] ?? 0) + r.recall;
      sums[`ndcg@${k}`] = (sums[`ndcg@${k}`] ?? 0) + r.ndcg;
      sums[`hitRate@${k}`] = (sums[`hitRate@${k}`] ?? 0) + r.hit;
    }
  });
  const m = macro(pred, truth, K);
  const ranking: Record<string, number> = {};
  for (const [key, v] of Object.entries(sums)) ranking[key] = n ? v / n : 0;
  return { n, accuracy: n ? correct / n : 0, macroPrecision: m.P, macroRecall: m.R, macroF1: m.F, ranking };
}

export function metricValue(m: Metrics, name: string): number {
  if (name in m.ranking) return m.ranking[name]!;
  const v = (m as unknown as Record<string, unknown>)[name];
  if (typeof v !== 'number') throw new Error(`unknown metric ${name}`);
  return v;
}
