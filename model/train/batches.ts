import { mulberry32 } from '../data/seeded-random.ts';
import type { EncodedBatch } from '../data/encoder.ts';
import type { Layout } from '../data/feature-layout.ts';

/** Rows `idx[start..end)` of an encoded set, copied into fresh typed arrays (one batch). */
export function gatherRows(
  src: EncodedBatch,
  layout: Layout,
  idx: ArrayLike<number>,
  start: number,
  end: number,
): EncodedBatch {
  const n = end - start;
  const out: EncodedBatch = {
    n,
    numeric: new Float32Array(n * layout.numeric),
    wide: new Int32Array(n * layout.wide),
    deep: new Int32Array(n * layout.deep),
  };
  for (let i = 0; i < n; i++) {
    const r = idx[start + i]!;
    out.numeric.set(src.numeric.subarray(r * layout.numeric, (r + 1) * layout.numeric), i * layout.numeric);
    out.wide.set(src.wide.subarray(r * layout.wide, (r + 1) * layout.wide), i * layout.wide);
    out.deep.set(src.deep.subarray(r * layout.deep, (r + 1) * layout.deep), i * layout.deep);
  }
  return out;
}

export function gatherTargets(
  src: Float32Array,
  K: number,
  idx: ArrayLike<number>,
  start: number,
  end: number,
): Float32Array {
  const out = new Float32Array((end - start) * K);
  for (let i = start; i < end; i++) out.set(src.subarray(idx[i]! * K, (idx[i]! + 1) * K), (i - start) * K);
  return out;
}

/** Seeded Fisher-Yates: the same seed gives the same epochs. */
export function shuffledIndices(n: number, seed: number): Int32Array {
  const next = mulberry32(seed);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const tmp = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = tmp;
  }
  return idx;
}

/** Label line counts -> per-row distributions (the soft softmax target). */
export function normalizedTargets(rows: readonly { labelCounts: Float32Array }[], K: number): Float32Array {
  const out = new Float32Array(rows.length * K);
  rows.forEach((r, i) => {
    let total = 0;
    for (let c = 0; c < K; c++) total += r.labelCounts[c]!;
    for (let c = 0; c < K; c++) out[i * K + c] = total ? r.labelCounts[c]! / total : 1 / K;
  });
  return out;
}
