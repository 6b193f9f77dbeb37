import type { Sample } from '../data/snapshots.ts';
import type { TrueProbabilities } from '../data/shopper-history.ts';

/**
 * The generator's true category probabilities of the labelled order, read at the moment it was
 * placed: the best any model could score on this data (the ceiling). Only generated data has it.
 */
export function ceilingScores(
  samples: readonly Sample[],
  truth: (userId: number) => TrueProbabilities,
  K: number,
): Float32Array {
  const out = new Float32Array(samples.length * K);
  const cache = new Map<number, TrueProbabilities>();
  samples.forEach((s, i) => {
    let fn = cache.get(s.userId);
    if (!fn) cache.set(s.userId, (fn = truth(s.userId)));
    out.set(fn(new Date(s.labelAt)), i * K);
  });
  return out;
}
