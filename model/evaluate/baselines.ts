import type { UserFeatures } from '../../streams/features/user-features.ts';
import type { Sample } from '../data/snapshots.ts';

/**
 * The non-learnt baselines. Each scores a shopper from the features at t only (the same
 * information the model sees); popularity is learnt from the training labels. Ties and
 * shoppers without history fall back to popularity (a tiny weight keeps it a tie-breaker).
 */
export interface ScoreFn {
  name: string;
  score(f: UserFeatures, out: Float32Array, offset: number): void;
}

const TIE_BREAK = 1e-6;

/** Line-weighted share of each category among the training labels. */
export function popularityOf(train: readonly Pick<Sample, 'labelCounts'>[], K: number): Float64Array {
  const p = new Float64Array(K);
  let total = 0;
  for (const s of train)
    for (let c = 0; c < K; c++) {
      p[c]! += s.labelCounts[c]!;
      total += s.labelCounts[c]!;
    }
  return p.map((x) => (total ? x / total : 1 / K));
}

export function createBaselines(popularity: Float64Array): ScoreFn[] {
  const K = popularity.length;
  const withFallback = (name: string, signal: (f: UserFeatures) => readonly number[] | null): ScoreFn => ({
    name,
    score(f, out, offset) {
      const s = signal(f);
      for (let c = 0; c < K; c++) out[offset + c] = (s ? (s[c] ?? 0) : 0) + TIE_BREAK * popularity[c]!;
    },
  });
  return [
    withFallback('popularity', () => null),
    withFallback('own most-bought', (f) => f.catCounts),
    withFallback('recency-weighted', (f) => f.catRecency),
  ];
}

export function scoreAll(fn: ScoreFn, samples: readonly Pick<Sample, 'features'>[], K: number): Float32Array {
  const out = new Float32Array(samples.length * K);
  samples.forEach((s, i) => fn.score(s.features, out, i * K));
  return out;
}
