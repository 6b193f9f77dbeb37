import type { Tf } from '../backend/select-backend.ts';
import { wideDeepBackprop } from '../wide-deep/wide-deep-backprop.ts';
import { wideDeepGraph, type WideDeepGraph } from '../wide-deep/wide-deep-graph.ts';
import { nativeUniform } from '../wide-deep/native-ops.ts';
import { createDropoutMasks } from './dropout-masks.ts';
import { createFlatAdam } from './flat-adam.ts';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Tensor = import('@tensorflow/tfjs').Tensor;
type Variable = import('@tensorflow/tfjs').Variable;
type Optimizer = import('@tensorflow/tfjs').Optimizer;

/**
 * One optimizer step on one batch, without `model.trainOnBatch`. The layers API's step checks and
 * standardizes its inputs, builds loss and metric closures and keeps history on every call; a
 * step of this small model is bound by the number of tensor ops launched (~20-30 µs each on the
 * native backend), not by arithmetic, so the lean loop is the same maths in fewer ops:
 * forward (training mode: dropout on, BatchNorm on batch statistics and updating its moving
 * averages) -> soft-target cross-entropy + the layers' own L2 penalties -> tf.variableGrads
 * -> optimizer.applyGradients.
 */
export interface TrainStep {
  /** xs: [numeric [B, F], wide [B, W], deep [B, D]]; y: [B, K] target distributions. Returns the batch's mean loss. */
  run(xs: Tensor[], y: Tensor): Promise<number>;
  dispose(): void;
}

export interface TrainStepOptions {
  learningRate: number;
  /**
   * 'manual' (default for this W&D): the gradient by hand (wide-deep-backprop.ts), ~3x fewer
   * kernels than 'autodiff' (tf.variableGrads over wide-deep-graph.ts), which is kept as the
   * reference the tests and the profile compare with.
   */
  gradients?: 'manual' | 'autodiff';
  /** Seeds the dropout masks of the manual step. */
  seed?: number;
}

/** Every layer's regularizer penalty (same sum the layers API adds to the loss). */
function penalty(tf: Tf, model: LayersModel): Tensor | null {
  const terms: Tensor[] = [];
  for (const layer of model.layers) {
    const regs = layer as unknown as {
      embeddingsRegularizer?: { apply(x: Tensor): Tensor };
      kernelRegularizer?: { apply(x: Tensor): Tensor };
      embeddings?: { read(): Tensor };
      kernel?: { read(): Tensor };
    };
    if (regs.embeddingsRegularizer && regs.embeddings)
      terms.push(regs.embeddingsRegularizer.apply(regs.embeddings.read()));
    if (regs.kernelRegularizer && regs.kernel) terms.push(regs.kernelRegularizer.apply(regs.kernel.read()));
  }
  return terms.length ? tf.addN(terms) : null;
}

type Scalar = import('@tensorflow/tfjs').Scalar;

/** Mean soft-target cross-entropy from logits [B, K]: logSoftmax is one op and never takes log(0). */
const crossEntropy = (tf: Tf, logits: Tensor, y: Tensor): Tensor =>
  tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(logits)), -1)));

async function readLoss(loss: Tensor): Promise<number> {
  const [v] = await loss.data();
  loss.dispose();
  return v!;
}

/** The W&D as plain ops + one flat Adam: ~3x fewer ops per step than the layers API (see profile-step.ts). */
function graphStep(tf: Tf, model: LayersModel, graph: WideDeepGraph, opts: TrainStepOptions): TrainStep {
  const adam = createFlatAdam(tf, graph.vars, { learningRate: opts.learningRate });
  return {
    run: (xs, y) =>
      readLoss(
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => {
            const ce = crossEntropy(tf, graph.logits(xs, true), y);
            const reg = penalty(tf, model);
            return (reg ? tf.add(ce, reg) : ce) as Scalar;
          }, graph.vars);
          adam.apply(graph.vars.map((v) => grads[v.name]!));
          return value;
        }),
      ),
    dispose: () => adam.dispose(),
  };
}

/**
 * The layers' BatchNorm moving averages, moving -= (moving - batch) * (1 - momentum), for all
 * layers at once: one concat, three kernels, one split (18 kernels when done per vector).
 */
function updateMoving(tf: Tf, graph: WideDeepGraph, moments: { mean: Tensor; variance: Tensor }[]): void {
  const bns = graph.parts.hidden.flatMap((h) => (h.bn ? [h.bn] : []));
  if (!bns.length) return;
  const moving = bns.flatMap((bn) => [bn.movingMean, bn.movingVariance]);
  const momentum = bns[0]!.momentum;
  if (bns.some((bn) => bn.momentum !== momentum)) throw new Error('BatchNorm layers with different momenta');
  const current = tf.concat(moving.map((v) => v.read()));
  const batch = tf.concat(moments.flatMap((m) => [m.mean, m.variance]));
  const next = tf.sub(current, tf.mul(tf.sub(current, batch), 1 - momentum));
  tf.split(
    next,
    moving.map((v) => v.read().size),
  ).forEach((t, i) => moving[i]!.write(t));
}

/**
 * Dropout masks ([n, units] of 0 or 1/keep per hidden layer): on native from one RandomUniform
 * kernel (floor(u + keep) / keep, split per layer) when all layers share a rate; else drawn in JS.
 * Call inside tf.tidy.
 */
function maskSource(tf: Tf, graph: WideDeepGraph, seed: number): (n: number) => (Tensor | null)[] {
  const widths = graph.parts.hidden.map((h) => h.kernel.shape[1]!);
  const rates = graph.parts.hidden.map((h) => h.rate);
  const uniform = nativeUniform(tf, seed);
  if (uniform && rates[0]! > 0 && rates.every((r) => r === rates[0])) {
    const keep = 1 - rates[0]!;
    const total = widths.reduce((a, b) => a + b, 0);
    return (n) => tf.split(tf.mul(tf.floor(tf.add(uniform([n, total]), keep)), 1 / keep), widths, 1);
  }
  const masks = createDropoutMasks(
    widths.map((units, i) => ({ units, rate: rates[i]! })),
    seed,
  );
  return (n) => masks.next(n).map((m, i) => (m ? tf.tensor2d(m, [n, widths[i]!]) : null));
}

/** The W&D with its gradient by hand (wide-deep-backprop.ts), one flat Adam. */
function manualStep(tf: Tf, graph: WideDeepGraph, opts: TrainStepOptions): TrainStep {
  const adam = createFlatAdam(tf, graph.vars, { learningRate: opts.learningRate });
  const masks = maskSource(tf, graph, opts.seed ?? 1);
  return {
    run(xs, y) {
      return readLoss(
        tf.tidy(() => {
          const r = wideDeepBackprop(tf, graph.parts, xs, y, masks(xs[0]!.shape[0]!));
          adam.apply(r.grads);
          updateMoving(tf, graph, r.moments);
          return r.loss;
        }),
      );
    },
    dispose: () => adam.dispose(),
  };
}

/** Any other model (the logistic-regression baseline): its own layers in training mode, tfjs's Adam. */
function layersStep(tf: Tf, model: LayersModel, opts: TrainStepOptions): TrainStep {
  const optimizer: Optimizer = tf.train.adam(opts.learningRate);
  const vars = model.trainableWeights.map((w) => w.read() as Variable);
  return {
    run: (xs, y) =>
      readLoss(
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => {
            // The model ends in softmax: clip as the layers API's categoricalCrossentropy does.
            const probs = model.apply(xs, { training: true }) as Tensor;
            const ce = tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.clipByValue(probs, 1e-7, 1))), -1)));
            const reg = penalty(tf, model);
            return (reg ? tf.add(ce, reg) : ce) as Scalar;
          }, vars);
          optimizer.applyGradients(grads);
          return value;
        }),
      ),
    dispose: () => optimizer.dispose(),
  };
}

export function createTrainStep(tf: Tf, model: LayersModel, opts: TrainStepOptions): TrainStep {
  const graph = wideDeepGraph(tf, model);
  if (!graph) return layersStep(tf, model, opts);
  return opts.gradients === 'autodiff' ? graphStep(tf, model, graph, opts) : manualStep(tf, graph, opts);
}
