import type { Tf } from '../backend/select-backend.ts';
import { wideDeepGraph } from './wide-deep-graph.ts';
import { nativeGather } from './native-ops.ts';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Tensor = import('@tensorflow/tfjs').Tensor;
type Tensor2D = import('@tensorflow/tfjs').Tensor2D;

/**
 * The W&D for prediction as its fewest kernels: BatchNorm folded into the Dense before it
 * (kernel * gamma / sqrt(movingVar + eps), bias beta - movingMean * that scale), the wide
 * table pre-divided by W (its mean is then a sum), dropout gone. 19 kernels per batch instead
 * of the layers model's ~45, and no elementwise BatchNorm passes over [B, 256]. Folded from the
 * model's current weights: build one per prediction run, dispose after (weights change in training).
 * inference-graph.unit.test.ts checks it against model.predict.
 */
export interface InferenceGraph {
  /** xs: [numeric [B, F], wide [B, W] int32, deep [B, D] int32] -> probabilities [B, K]. */
  probabilities(xs: Tensor[]): Tensor2D;
  dispose(): void;
}

/** Null when the model is not this W&D (the baseline predicts through its layers). */
export function inferenceGraph(tf: Tf, model: LayersModel): InferenceGraph | null {
  const graph = wideDeepGraph(tf, model);
  if (!graph) return null;
  const p = graph.parts;
  const gather = nativeGather(tf);
  // Inputs are [numeric, wide, deep] (wide-deep-model.ts).
  const W = model.inputs[1]!.shape[1]!;
  const kept = tf.tidy(() => {
    const hidden = p.hidden.map((h) => {
      if (!h.bn) return { kernel: h.kernel.clone() as Tensor2D, bias: h.bias!.clone() };
      const scale = tf.div(h.bn.gamma, tf.sqrt(tf.add(h.bn.movingVariance.read(), h.bn.epsilon)));
      return {
        kernel: tf.mul(h.kernel, scale) as Tensor2D,
        bias: tf.sub(h.bn.beta, tf.mul(h.bn.movingMean.read(), scale)),
      };
    });
    return {
      hidden,
      wideEmb: tf.div(p.wideEmb, W) as Tensor2D,
      wideK: p.wideK.clone() as Tensor2D,
      deepEmb: p.deepEmb.clone() as Tensor2D,
      outK: p.outK.clone() as Tensor2D,
      bias: tf.add(p.wideB, p.outB),
    };
  });
  const E = p.deepEmb.shape[1]!;
  return {
    probabilities(xs) {
      return tf.tidy(() => {
        const [numeric, wide, deep] = xs as [Tensor2D, Tensor2D, Tensor2D];
        const [B, D] = deep.shape;
        let h = tf.concat([tf.reshape(gather(kept.deepEmb, deep), [B, D * E]), numeric], 1) as Tensor2D;
        for (const l of kept.hidden) h = tf.relu(tf.add(tf.matMul(h, l.kernel), l.bias)) as Tensor2D;
        const logits = tf.addN([
          tf.sum(gather(kept.wideEmb, wide), 1),
          tf.matMul(numeric, kept.wideK),
          tf.matMul(h, kept.outK),
        ]);
        return tf.softmax(tf.add(logits, kept.bias)) as Tensor2D;
      });
    },
    dispose: () => tf.dispose(kept as unknown as Tensor[]),
  };
}
