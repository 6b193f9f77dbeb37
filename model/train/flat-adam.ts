import type { Tf } from '../backend/select-backend.ts';

type Tensor = import('@tensorflow/tfjs').Tensor;
type Variable = import('@tensorflow/tfjs').Variable;

/**
 * Adam over all variables at once, as one flat vector. tf.train.adam updates each variable
 * separately with ~14 ops; this model has ~20 variables, so ~280 of a step's ops went to the
 * optimizer. Flat: reshape + concat the gradients, ~12 ops of Adam on one vector, split back,
 * one sub per variable. Same update as tfjs's Adam (bias-corrected moments, epsilon added to
 * sqrt(v̂)); the bias corrections are plain numbers computed here.
 */
export interface FlatAdam {
  /** grads[i] belongs to vars[i] (as given to createFlatAdam). */
  apply(grads: Tensor[]): void;
  dispose(): void;
}

export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export function createFlatAdam(tf: Tf, vars: Variable[], o: AdamOptions): FlatAdam {
  const b1 = o.beta1 ?? 0.9,
    b2 = o.beta2 ?? 0.999,
    eps = o.epsilon ?? 1e-7;
  const sizes = vars.map((v) => v.size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const m = tf.variable(tf.zeros([total]), false);
  const v = tf.variable(tf.zeros([total]), false);
  let t = 0;
  return {
    apply(grads) {
      t++;
      const c1 = 1 / (1 - b1 ** t),
        c2 = 1 / (1 - b2 ** t);
      tf.tidy(() => {
        // Vectors go in as they are: a reshape is a kernel launch like any other.
        const g = tf.concat(grads.map((x) => (x.rank === 1 ? x : tf.reshape(x, [-1]))));
        const m2 = tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1));
        const v2 = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2));
        m.assign(m2);
        v.assign(v2);
        const step = tf.mul(tf.div(tf.mul(m2, c1), tf.add(tf.sqrt(tf.mul(v2, c2)), eps)), o.learningRate);
        tf.split(step, sizes).forEach((d, i) =>
          vars[i]!.assign(tf.sub(vars[i]!, vars[i]!.rank === 1 ? d : tf.reshape(d, vars[i]!.shape))),
        );
      });
    },
    dispose: () => {
      m.dispose();
      v.dispose();
    },
  };
}
