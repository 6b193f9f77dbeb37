import type { Tf } from '../backend/select-backend.ts';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Tensor = import('@tensorflow/tfjs').Tensor;
type Tensor2D = import('@tensorflow/tfjs').Tensor2D;
type Variable = import('@tensorflow/tfjs').Variable;
type LayerVariable = { read(): Variable; write(v: Tensor): void };

/**
 * The Wide & Deep of wide-deep-model.ts written as plain tensor ops on the layers' own variables,
 * for training only. Same maths as the layers graph (embedding = gather, global average pooling
 * = mean, BatchNorm on batch moments with the layers' epsilon and momentum, dropout scaled by
 * 1/keep), but the layers API wraps each call in casts, identities and reshapes: this is about
 * a third of the ops. Weights stay in the LayersModel, so saving, loading and predicting are
 * untouched; wide-deep-graph.unit.test.ts checks both give the same outputs.
 *
 * Shapes: numeric [B, F], wide [B, W] int32, deep [B, D] int32 -> logits [B, K].
 */
export interface WideDeepGraph {
  /** Trainable variables, in a fixed order (the optimizer's). */
  vars: Variable[];
  /** The same variables by role (wide-deep-backprop.ts differentiates by hand). */
  parts: WideDeepParts;
  /** Logits [B, K]. training: dropout on, BatchNorm on batch statistics, moving averages updated. */
  logits(xs: Tensor[], training: boolean): Tensor2D;
}

/** A hidden layer: Dense -> BatchNorm -> ReLU -> Dropout, or (no BatchNorm) Dense + bias with ReLU -> Dropout. */
export interface Hidden {
  kernel: Variable;
  bias?: Variable;
  bn?: {
    gamma: Variable;
    beta: Variable;
    movingMean: LayerVariable;
    movingVariance: LayerVariable;
    epsilon: number;
    momentum: number;
  };
  rate: number;
}

export interface WideDeepParts {
  /** [wideVocab, K], one K-vector of logits per wide id; l2: its penalty factor (0 when none). */
  wideEmb: Variable;
  wideEmbL2: number;
  /** Dense(K) on numeric: [F, K] and [K]. */
  wideK: Variable;
  wideKL2: number;
  wideB: Variable;
  /** [deepVocab, E]. */
  deepEmb: Variable;
  hidden: Hidden[];
  /** [last hidden, K] and [K]. */
  outK: Variable;
  outB: Variable;
}

type AnyLayer = {
  name: string;
  trainableWeights: LayerVariable[];
  nonTrainableWeights: LayerVariable[];
  rate?: number;
  epsilon?: number;
  momentum?: number;
  embeddingsRegularizer?: { l2?: number };
  kernelRegularizer?: { l2?: number };
};

/** Null when the model is not this W&D (another architecture trains through the layers API). */
export function wideDeepGraph(tf: Tf, model: LayersModel): WideDeepGraph | null {
  const byName = new Map((model.layers as unknown as AnyLayer[]).map((l) => [l.name, l]));
  const w = (name: string, i = 0) => byName.get(name)?.trainableWeights[i]?.read();
  const [wideEmb, wideK, wideB, deepEmb, outK, outB] = [
    w('wide_ids'),
    w('wide_numeric'),
    w('wide_numeric', 1),
    w('deep_embed'),
    w('deep_logits'),
    w('deep_logits', 1),
  ];
  if (!wideEmb || !wideK || !wideB || !deepEmb || !outK || !outB) return null;
  const hidden: Hidden[] = [];
  for (const layer of model.layers as unknown as AnyLayer[]) {
    const units = /^deep_dense_(\d+)$/.exec(layer.name)?.[1];
    if (!units) continue;
    const bn = byName.get(`deep_bn_${units}`),
      drop = byName.get(`deep_dropout_${units}`);
    if (!drop || layer.trainableWeights.length !== (bn ? 1 : 2)) return null;
    hidden.push({
      kernel: layer.trainableWeights[0]!.read(),
      bias: layer.trainableWeights[1]?.read(),
      rate: drop.rate ?? 0,
      bn: bn && {
        gamma: bn.trainableWeights[0]!.read(),
        beta: bn.trainableWeights[1]!.read(),
        movingMean: bn.nonTrainableWeights[0]!,
        movingVariance: bn.nonTrainableWeights[1]!,
        epsilon: bn.epsilon ?? 1e-3,
        momentum: bn.momentum ?? 0.99,
      },
    });
  }
  if (!hidden.length) return null;
  const vars = [
    wideEmb,
    wideK,
    wideB,
    deepEmb,
    ...hidden.flatMap((h) => (h.bn ? [h.kernel, h.bn.gamma, h.bn.beta] : [h.kernel, h.bias!])),
    outK,
    outB,
  ];

  const dropout = (h: Hidden, a: Tensor2D, training: boolean) =>
    training && h.rate > 0 ? (tf.dropout(a, h.rate) as Tensor2D) : a;

  const layer = (h: Hidden, x: Tensor2D, training: boolean): Tensor2D => {
    if (!h.bn)
      return dropout(
        h,
        tf.fused.matMul({ a: x, b: h.kernel as Tensor2D, bias: h.bias, activation: 'relu' }) as Tensor2D,
        training,
      );
    const bn = h.bn;
    const z = tf.matMul(x, h.kernel);
    let mean: Tensor = bn.movingMean.read(),
      variance: Tensor = bn.movingVariance.read();
    if (training) {
      ({ mean, variance } = tf.moments(z, 0));
      // The layers' update: moving -= (moving - batch) * (1 - momentum). Off the loss path: no gradient.
      bn.movingMean.write(tf.sub(bn.movingMean.read(), tf.mul(tf.sub(bn.movingMean.read(), mean), 1 - bn.momentum)));
      bn.movingVariance.write(
        tf.sub(bn.movingVariance.read(), tf.mul(tf.sub(bn.movingVariance.read(), variance), 1 - bn.momentum)),
      );
    }
    return dropout(h, tf.relu(tf.batchNorm(z, mean, variance, bn.beta, bn.gamma, bn.epsilon)) as Tensor2D, training);
  };

  const l2 = (r: { l2?: number } | undefined) => r?.l2 ?? 0;
  const parts: WideDeepParts = {
    wideEmb,
    wideEmbL2: l2(byName.get('wide_ids')!.embeddingsRegularizer),
    wideK,
    wideKL2: l2(byName.get('wide_numeric')!.kernelRegularizer),
    wideB,
    deepEmb,
    hidden,
    outK,
    outB,
  };
  return {
    vars,
    parts,
    logits(xs, training) {
      const [numeric, wide, deep] = xs as [Tensor2D, Tensor2D, Tensor2D];
      const n = numeric.shape[0];
      const wideLogits = tf.add(
        tf.mean(tf.gather(wideEmb, wide), 1),
        tf.fused.matMul({ a: numeric, b: wideK as Tensor2D, bias: wideB }),
      );
      let h = tf.concat([tf.reshape(tf.gather(deepEmb, deep), [n, -1]), numeric], 1) as Tensor2D;
      for (const hl of hidden) h = layer(hl, h, training);
      return tf.add(wideLogits, tf.fused.matMul({ a: h, b: outK as Tensor2D, bias: outB })) as Tensor2D;
    },
  };
}
