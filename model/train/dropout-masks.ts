import { mulberry32 } from '../data/seeded-random.ts';

/**
 * Dropout masks drawn on the JS side, one Float32Array per hidden layer: 0 with probability
 * `rate`, else 1/(1 - rate). tf.dropout draws its uniforms in JS as well (seedrandom) and then
 * spends four kernels turning them into a mask; here the mask is the tensor's data. Seeded: the
 * same seed gives the same masks, step after step.
 */
export interface DropoutMasks {
  /** Masks for a batch of n rows: masks[i] is [n, widths[i]] row-major, null where the rate is 0. */
  next(n: number): (Float32Array | null)[];
}

export function createDropoutMasks(layers: readonly { units: number; rate: number }[], seed: number): DropoutMasks {
  const random = mulberry32(seed);
  return {
    next(n) {
      return layers.map(({ units, rate }) => {
        if (rate <= 0) return null;
        const scale = 1 / (1 - rate);
        const mask = new Float32Array(n * units);
        for (let i = 0; i < mask.length; i++) mask[i] = random() < rate ? 0 : scale;
        return mask;
      });
    },
  };
}
