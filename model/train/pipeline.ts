import type { BackendChoice } from '../backend/select-backend.ts';
import { fitEncoder, type Encoder } from '../data/encoder.ts';
import type { HistorySource } from '../data/shopper-history.ts';
import { buildSamples, type Sample, type SnapshotOptions } from '../data/snapshots.ts';
import { splitByTime } from '../data/time-split.ts';
import { createBaselines, popularityOf, scoreAll } from '../evaluate/baselines.ts';
import { ceilingScores } from '../evaluate/ceiling.ts';
import type { EvaluationRow, EvaluationTable } from '../evaluate/evaluation-table.ts';
import { evaluateScores } from '../evaluate/metrics.ts';
import { buildLogisticRegression, buildWideDeep } from '../wide-deep/wide-deep-model.ts';
import { predictProbabilities } from '../wide-deep/predict.ts';
import { normalizedTargets } from './batches.ts';
import { fitModel, type FitOptions, type FitResult, type LabelledSet } from './fit.ts';
import type { ProgressBar } from './progress-bar.ts';

type LayersModel = import('@tensorflow/tfjs').LayersModel;

export interface PipelineOptions {
  snapshot: Omit<SnapshotOptions, 'numCategories'>;
  trainShare: number;
  validationShare: number;
  lastN: number;
  fit: FitOptions;
  /** The logistic-regression baseline trains with the same loop; it converges with a larger rate. */
  logisticFit: FitOptions;
}

export const DEFAULT_PIPELINE: Omit<PipelineOptions, 'snapshot'> = {
  trainShare: 0.6,
  validationShare: 0.2,
  lastN: 5,
  fit: { maxEpochs: 30, batchSize: 256, learningRate: 1e-3, patience: 3, seed: 1 },
  logisticFit: { maxEpochs: 30, batchSize: 256, learningRate: 1e-2, patience: 2, seed: 1 },
};

export interface TrainedRun {
  model: LayersModel;
  encoder: Encoder;
  fit: FitResult;
  evaluation: EvaluationTable;
  counts: { shoppers: number; train: number; validation: number; test: number };
  range: { trainEnd: number; validationEnd: number };
}

export interface PipelineDeps {
  backend: BackendChoice;
  source: HistorySource;
  out: (line: string) => void;
  progress?: (label: string) => (epoch: number) => ProgressBar;
}

export const W_AND_D = 'Wide & Deep';

function labelled(encoder: Encoder, rows: readonly Sample[], K: number): LabelledSet {
  return {
    x: encoder.encode(rows.map((s) => s.features)),
    targets: normalizedTargets(rows, K),
    truth: rows.map((s) => ({ primary: s.primary, relevant: s.relevant })),
  };
}

/** Source -> snapshots -> time split -> encoders (train only) -> W&D + baselines -> one evaluation table on the test split. */
export async function runPipeline(deps: PipelineDeps, opts: PipelineOptions): Promise<TrainedRun> {
  const { tf } = deps.backend;
  const K = deps.source.categories.length;
  let shoppers = 0;
  const samples = await buildSamples(deps.source, { ...opts.snapshot, numCategories: K, feature: { lastN: opts.lastN } }, (n) => { shoppers = n; });
  const split = splitByTime(samples, { ...opts.snapshot, trainShare: opts.trainShare, validationShare: opts.validationShare });
  deps.out(`samples: ${samples.length} from ${shoppers} shoppers; train ${split.train.length}, validation ${split.validation.length}, test ${split.test.length}`);
  const encoder = fitEncoder(split.train.map((s) => s.features), { categories: deps.source.categories, lastN: opts.lastN });
  const [train, validation, test] = [split.train, split.validation, split.test].map((rows) => labelled(encoder, rows, K)) as [LabelledSet, LabelledSet, LabelledSet];

  const model = buildWideDeep(tf, { layout: encoder.layout, K, seed: opts.fit.seed });
  deps.out(`${W_AND_D}: ${model.countParams()} parameters`);
  const fit = await fitModel({ tf, model, layout: encoder.layout, K, progress: deps.progress?.('W&D') }, train, validation, opts.fit);
  const logistic = buildLogisticRegression(tf, { layout: encoder.layout, K });
  await fitModel({ tf, model: logistic, layout: encoder.layout, K, progress: deps.progress?.('LR') }, train, validation, opts.logisticFit);

  const rows: EvaluationRow[] = [
    { name: W_AND_D, kind: 'model', metrics: evaluateScores(predictProbabilities(tf, model, encoder.layout, test.x, K), test.truth, K) },
    { name: 'logistic regression', kind: 'baseline', metrics: evaluateScores(predictProbabilities(tf, logistic, encoder.layout, test.x, K), test.truth, K) },
  ];
  logistic.dispose();
  for (const b of createBaselines(popularityOf(split.train, K))) {
    rows.push({ name: b.name, kind: 'baseline', metrics: evaluateScores(scoreAll(b, split.test, K), test.truth, K) });
  }
  if (deps.source.truth) {
    rows.push({ name: 'ceiling (true probabilities)', kind: 'ceiling', metrics: evaluateScores(ceilingScores(split.test, deps.source.truth, K), test.truth, K) });
  }
  const testTimes = split.test.map((s) => s.t);
  return {
    model, encoder, fit,
    evaluation: { testFrom: Math.min(...testTimes), testTo: Math.max(...testTimes), samples: split.test.length, rows },
    counts: { shoppers, train: split.train.length, validation: split.validation.length, test: split.test.length },
    range: { trainEnd: split.trainEnd, validationEnd: split.validationEnd },
  };
}
