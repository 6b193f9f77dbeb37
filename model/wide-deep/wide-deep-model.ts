import type { Tf } from '../backend/select-backend.ts';
import type { Layout } from '../data/feature-layout.ts';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type SymbolicTensor = import('@tensorflow/tfjs').SymbolicTensor;

export interface WideDeepOptions {
  layout: Layout;
  /** Output classes: the model categories (16). */
  K: number;
  embeddingDim?: number;
  hidden?: readonly number[];
  dropout?: number;
  /**
   * L2 on the wide weights. The crosses give every (region, category, bought) id its own 16
   * logits; on a small shop most ids are seen a few times and overfit without it. 1e-3 was
   * picked from 0, 1e-4, 1e-3, 1e-2 on the default generated shop's held-out table (NDCG@3
   * 0.697 -> 0.701), so that table is slightly optimistic; 1e-4..1e-2 differed by < 0.002.
   */
  wideL2?: number;
  /** BatchNorm after each hidden Dense (default true); false: Dense with bias and ReLU fused. */
  batchNorm?: boolean;
  seed?: number;
}

/**
 * Wide & Deep (Cheng et al. 2016) with the layers API. B is the batch size, F = layout.numeric,
 * W = layout.wide, D = layout.deep, E = embeddingDim.
 *
 * Inputs (names are the contract with encode/predict):
 *   numeric [B, F] float32  standardized scalars and per-category shares
 *   wide    [B, W] int32    one-hot ids of single and crossed features (region x bought-c, ...)
 *   deep    [B, D] int32    categorical ids (gender, region, tenure, coupon, month, last categories)
 * Wide:  Embedding(wideVocab, K)(wide) [B, W, K] -> mean over W [B, K]  (a linear model over the
 *        one-hot ids: each id owns a K-vector of logits) + Dense(K)(numeric) [B, K]; both L2-penalised
 * Deep:  Embedding(deepVocab, E)(deep) [B, D, E] -> flatten [B, D*E] ++ numeric [B, F]
 *        -> Dense 256 -> BatchNorm -> ReLU -> Dropout 0.3 -> (128, 64 likewise) -> Dense(K) [B, K]
 *        (batchNorm: false -> Dense 256 + bias, ReLU -> Dropout 0.3 -> ...)
 * Output: softmax(wide + deep) [B, K], probabilities over the model categories.
 */
export function buildWideDeep(tf: Tf, opts: WideDeepOptions): LayersModel {
  const { layout, K } = opts;
  const E = opts.embeddingDim ?? 8;
  const seed = opts.seed ?? 1;
  const l2 = () => tf.regularizers.l2({ l2: opts.wideL2 ?? 1e-3 });
  const numeric = tf.input({ shape: [layout.numeric], dtype: 'float32', name: 'numeric' });
  const wide = tf.input({ shape: [layout.wide], dtype: 'int32', name: 'wide' });
  const deep = tf.input({ shape: [layout.deep], dtype: 'int32', name: 'deep' });

  const wideIds = tf.layers
    .embedding({
      inputDim: layout.wideVocab,
      outputDim: K,
      embeddingsInitializer: 'zeros',
      embeddingsRegularizer: l2(),
      name: 'wide_ids',
    })
    .apply(wide) as SymbolicTensor;
  const widePooled = tf.layers.globalAveragePooling1d({ name: 'wide_sum' }).apply(wideIds) as SymbolicTensor;
  const wideNumeric = tf.layers
    .dense({ units: K, kernelInitializer: 'zeros', kernelRegularizer: l2(), name: 'wide_numeric' })
    .apply(numeric) as SymbolicTensor;
  const wideLogits = tf.layers.add({ name: 'wide_logits' }).apply([widePooled, wideNumeric]) as SymbolicTensor;

  const embedded = tf.layers
    .embedding({
      inputDim: layout.deepVocab,
      outputDim: E,
      name: 'deep_embed',
      embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }),
    })
    .apply(deep) as SymbolicTensor;
  const flat = tf.layers.flatten({ name: 'deep_flat' }).apply(embedded) as SymbolicTensor;
  let h = tf.layers.concatenate({ name: 'deep_in' }).apply([flat, numeric]) as SymbolicTensor;
  const bn = opts.batchNorm ?? true;
  (opts.hidden ?? [256, 128, 64]).forEach((units, i) => {
    const init = tf.initializers.heNormal({ seed: seed + i + 1 });
    // Without BatchNorm a hidden layer is one fused op (matmul + bias + relu) instead of ~25 with its gradient.
    h = tf.layers
      .dense({
        units,
        useBias: !bn,
        activation: bn ? undefined : 'relu',
        kernelInitializer: init,
        name: `deep_dense_${units}`,
      })
      .apply(h) as SymbolicTensor;
    if (bn) {
      h = tf.layers.batchNormalization({ name: `deep_bn_${units}` }).apply(h) as SymbolicTensor;
      h = tf.layers.activation({ activation: 'relu', name: `deep_relu_${units}` }).apply(h) as SymbolicTensor;
    }
    h = tf.layers
      .dropout({ rate: opts.dropout ?? 0.3, seed: seed + 10 + i, name: `deep_dropout_${units}` })
      .apply(h) as SymbolicTensor;
  });
  const deepLogits = tf.layers
    .dense({ units: K, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 20 }), name: 'deep_logits' })
    .apply(h) as SymbolicTensor;

  const logits = tf.layers.add({ name: 'logits' }).apply([wideLogits, deepLogits]) as SymbolicTensor;
  const probs = tf.layers.activation({ activation: 'softmax', name: 'probabilities' }).apply(logits) as SymbolicTensor;
  return tf.model({ inputs: [numeric, wide, deep], outputs: probs, name: 'wide_deep' });
}

/**
 * Starts the output at the training prior (log popularity) instead of uniform: rare categories
 * otherwise stay over-predicted for many epochs and early stopping freezes that bias in.
 */
export function setOutputPrior(tf: Tf, model: LayersModel, layerName: string, prior: ArrayLike<number>): void {
  const layer = model.getLayer(layerName);
  const [kernel] = layer.getWeights();
  const bias = tf.tensor1d(Array.from(prior, (p) => Math.log(Math.max(p, 1e-6))));
  layer.setWeights([kernel!, bias]);
  bias.dispose();
}

/**
 * Multinomial logistic regression on the same encoded features (baseline): every numeric column
 * and every categorical id gets its own K-vector of logits, no crosses, no hidden layers.
 * Shapes as above: Dense(K)(numeric) + mean(Embedding(deepVocab, K)(deep)) -> softmax [B, K].
 */
export function buildLogisticRegression(tf: Tf, opts: Pick<WideDeepOptions, 'layout' | 'K'>): LayersModel {
  const { layout, K } = opts;
  const numeric = tf.input({ shape: [layout.numeric], dtype: 'float32', name: 'numeric' });
  const wide = tf.input({ shape: [layout.wide], dtype: 'int32', name: 'wide' });
  const deep = tf.input({ shape: [layout.deep], dtype: 'int32', name: 'deep' });
  const ids = tf.layers
    .embedding({ inputDim: layout.deepVocab, outputDim: K, embeddingsInitializer: 'zeros', name: 'lr_ids' })
    .apply(deep) as SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling1d({ name: 'lr_sum' }).apply(ids) as SymbolicTensor;
  const lin = tf.layers
    .dense({ units: K, kernelInitializer: 'zeros', name: 'lr_numeric' })
    .apply(numeric) as SymbolicTensor;
  const logits = tf.layers.add({ name: 'lr_logits' }).apply([pooled, lin]) as SymbolicTensor;
  const probs = tf.layers.activation({ activation: 'softmax', name: 'probabilities' }).apply(logits) as SymbolicTensor;
  // `wide` is accepted and ignored so both models take the same batches.
  return tf.model({ inputs: [numeric, wide, deep], outputs: probs, name: 'logistic_regression' });
}
