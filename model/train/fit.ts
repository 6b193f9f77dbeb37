import type { Tf } from '../backend/select-backend.ts';
import type { EncodedBatch } from '../data/encoder.ts';
import type { Layout } from '../data/feature-layout.ts';
import { evaluateScores, type Truth } from '../evaluate/metrics.ts';
import { inputTensors, predictProbabilities } from '../wide-deep/predict.ts';
import { gatherRows, gatherTargets, shuffledIndices } from './batches.ts';
import type { ProgressBar } from './progress-bar.ts';
import { createTrainStep, type TrainStep } from './train-step.ts';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Tensor = import('@tensorflow/tfjs').Tensor;

export interface LabelledSet {
  x: EncodedBatch;
  /** Row-major [n, K] target distributions. */
  targets: Float32Array;
  truth: Truth[];
}

export interface FitOptions {
  maxEpochs: number;
  batchSize: number;
  learningRate: number;
  /** Stop after this many epochs without a validation-loss improvement of at least minDelta. */
  patience: number;
  minDelta?: number;
  seed?: number;
}

export interface EpochReport {
  epoch: number;
  loss: number;
  valLoss: number;
  valNdcg3: number;
  seconds: number;
  samplesPerSecond: number;
}

export interface FitResult {
  epochs: EpochReport[];
  bestEpoch: number;
  stoppedEarly: boolean;
}

export interface FitDeps {
  tf: Tf;
  model: LayersModel;
  layout: Layout;
  K: number;
  progress?: (epoch: number) => ProgressBar;
}

/** Mean cross-entropy of predicted rows against target distributions. */
export function crossEntropy(probs: Float32Array, targets: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < targets.length; i++)
    if (targets[i]! > 0) sum -= targets[i]! * Math.log(Math.max(probs[i]!, 1e-7));
  return sum;
}

async function trainEpoch(
  deps: FitDeps,
  step: TrainStep,
  train: LabelledSet,
  opts: FitOptions,
  epoch: number,
  bar?: ProgressBar,
): Promise<number> {
  const { tf, layout, K } = deps;
  const idx = shuffledIndices(train.x.n, (opts.seed ?? 1) * 1000 + epoch);
  let lossSum = 0,
    batches = 0;
  for (let start = 0; start < train.x.n; start += opts.batchSize) {
    const end = Math.min(train.x.n, start + opts.batchSize);
    const xs = inputTensors(tf, layout, gatherRows(train.x, layout, idx, start, end), 0, end - start);
    const y = tf.tensor2d(gatherTargets(train.targets, K, idx, start, end), [end - start, K]);
    const loss = await step.run(xs, y);
    tf.dispose([...xs, y] as Tensor[]);
    lossSum += loss;
    batches++;
    bar?.update(end / train.x.n, `epoch ${epoch} loss ${(lossSum / batches).toFixed(4)}`);
  }
  return lossSum / batches;
}

/**
 * Mini-batch training with per-epoch validation. Keeps the weights of the best validation loss
 * and restores them at the end, so an overfitting tail never reaches the registry.
 */
export async function fitModel(
  deps: FitDeps,
  train: LabelledSet,
  validation: LabelledSet,
  opts: FitOptions,
): Promise<FitResult> {
  const { tf, model, layout, K } = deps;
  // A lean step instead of compile + trainOnBatch: the same loss and Adam in fewer ops (train-step.ts).
  const step = createTrainStep(tf, model, { learningRate: opts.learningRate, seed: opts.seed });
  const epochs: EpochReport[] = [];
  let best = Infinity,
    bestEpoch = 0,
    since = 0;
  let bestWeights: Tensor[] | null = null;
  for (let epoch = 1; epoch <= opts.maxEpochs; epoch++) {
    const bar = deps.progress?.(epoch);
    const started = performance.now();
    const loss = await trainEpoch(deps, step, train, opts, epoch, bar);
    const seconds = (performance.now() - started) / 1000;
    const probs = predictProbabilities(tf, model, layout, validation.x, K);
    const valLoss = crossEntropy(probs, validation.targets) / Math.max(1, validation.x.n);
    const valNdcg3 = evaluateScores(probs, validation.truth, K).ranking['ndcg@3']!;
    const report = { epoch, loss, valLoss, valNdcg3, seconds, samplesPerSecond: train.x.n / seconds };
    epochs.push(report);
    const improved = valLoss < best - (opts.minDelta ?? 1e-4);
    bar?.finish(
      `epoch ${String(epoch).padStart(2)}  loss ${loss.toFixed(4)}  val_loss ${valLoss.toFixed(4)}  val_ndcg@3 ${valNdcg3.toFixed(4)}  ${seconds.toFixed(1)} s (${Math.round(report.samplesPerSecond)} samples/s)${improved ? '  *' : ''}`,
    );
    if (improved) {
      best = valLoss;
      bestEpoch = epoch;
      since = 0;
      tf.dispose(bestWeights ?? []);
      bestWeights = model.getWeights().map((w) => w.clone());
    } else if (++since >= opts.patience) break;
  }
  step.dispose();
  if (bestWeights) {
    model.setWeights(bestWeights);
    tf.dispose(bestWeights);
  }
  return { epochs, bestEpoch, stoppedEarly: epochs.length < opts.maxEpochs };
}
