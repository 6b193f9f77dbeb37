import type { BackendChoice } from '../backend/select-backend.ts';
import { ValidationError } from '../../core/errors.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import { fitEncoder, type Encoder } from '../data/encoder.ts';
import type { HistorySource } from '../data/shopper-history.ts';
import { buildSamples, type Sample, type SnapshotOptions } from '../data/snapshots.ts';
import { splitByTime, timeSpan } from '../data/time-split.ts';
import { createBaselines, popularityOf, scoreAll } from '../evaluate/baselines.ts';
import { ceilingScores } from '../evaluate/ceiling.ts';
import { compareToBaselines, type ScoredRows } from '../evaluate/compare.ts';
import type { EvaluationRow, EvaluationTable } from '../evaluate/evaluation-table.ts';
import { evaluateScores } from '../evaluate/metrics.ts';
import { buildLogisticRegression, buildWideDeep, setOutputPrior } from '../wide-deep/wide-deep-model.ts';
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
  /** Retrain on train + validation for the early-stopped number of epochs before testing. */
  refit: boolean;
  /** The logistic-regression baseline trains with the same loop; it converges with a larger rate. */
  logisticFit: FitOptions;
}

export const DEFAULT_PIPELINE: Omit<PipelineOptions, 'snapshot'> = {
  trainShare: 0.6,
  validationShare: 0.2,
  lastN: 5,
  refit: true,
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

/** A model already in service, scored on the same held-out rows as the new one. */
export interface Incumbent {
  name: string;
  score(rows: readonly UserFeatures[]): Float32Array;
}

export interface PipelineDeps {
  backend: BackendChoice;
  source: HistorySource;
  incumbent?: Incumbent;
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

type Builder = (tf: BackendChoice['tf'], encoder: Encoder, prior: Float64Array) => LayersModel;

const buildWd =
  (seed?: number): Builder =>
  (tf, encoder, prior) => {
    const model = buildWideDeep(tf, { layout: encoder.layout, K: prior.length, seed });
    setOutputPrior(tf, model, 'deep_logits', prior);
    return model;
  };
const buildLr: Builder = (tf, encoder, prior) => {
  const model = buildLogisticRegression(tf, { layout: encoder.layout, K: prior.length });
  setOutputPrior(tf, model, 'lr_numeric', prior);
  return model;
};

interface Scorer {
  model: LayersModel;
  encoder: Encoder;
  fit: FitResult;
}

/**
 * Chooses the number of epochs by early stopping on validation, then (with `refit`) trains a
 * fresh model and encoder on train + validation for that many epochs: the period just before the
 * test snapshots is the most informative one, and the test split is never looked at.
 */
async function trainScorer(
  deps: PipelineDeps,
  label: string,
  build: Builder,
  parts: { train: Sample[]; validation: Sample[] },
  fitOpts: FitOptions,
  opts: PipelineOptions,
): Promise<Scorer> {
  const { tf } = deps.backend;
  const K = deps.source.categories.length;
  const categories = deps.source.categories;
  const encoder = fitEncoder(
    parts.train.map((s) => s.features),
    { categories, lastN: opts.lastN },
  );
  const model = build(tf, encoder, popularityOf(parts.train, K));
  if (label === 'W&D') deps.out(`${W_AND_D}: ${model.countParams()} parameters`);
  const fitDeps = { tf, model, layout: encoder.layout, K, progress: deps.progress?.(label) };
  const fit = await fitModel(
    fitDeps,
    labelled(encoder, parts.train, K),
    labelled(encoder, parts.validation, K),
    fitOpts,
  );
  if (!opts.refit) return { model, encoder, fit };
  model.dispose();
  const all = [...parts.train, ...parts.validation];
  const encoder2 = fitEncoder(
    all.map((s) => s.features),
    { categories, lastN: opts.lastN },
  );
  const model2 = build(tf, encoder2, popularityOf(all, K));
  deps.out(
    `${label}: refit on train + validation for ${fit.bestEpoch} epochs (validation figures below are in-sample)`,
  );
  const refitDeps = { tf, model: model2, layout: encoder2.layout, K, progress: deps.progress?.(`${label} refit`) };
  const set = labelled(encoder2, all, K);
  await fitModel(refitDeps, set, labelled(encoder2, parts.validation, K), {
    ...fitOpts,
    maxEpochs: fit.bestEpoch,
    patience: Infinity,
  });
  return { model: model2, encoder: encoder2, fit };
}

function score(tf: BackendChoice['tf'], s: Scorer, rows: readonly Sample[], K: number): Float32Array {
  return predictProbabilities(tf, s.model, s.encoder.layout, s.encoder.encode(rows.map((r) => r.features)), K);
}

/** Source -> snapshots -> time split -> encoders (train only) -> W&D + baselines -> one evaluation table on the test split. */
export async function runPipeline(deps: PipelineDeps, opts: PipelineOptions): Promise<TrainedRun> {
  const { tf } = deps.backend;
  const K = deps.source.categories.length;
  let shoppers = 0;
  const samples = await buildSamples(
    deps.source,
    { ...opts.snapshot, numCategories: K, feature: { lastN: opts.lastN } },
    (n) => {
      shoppers = n;
    },
  );
  const split = splitByTime(samples, {
    ...opts.snapshot,
    trainShare: opts.trainShare,
    validationShare: opts.validationShare,
  });
  deps.out(
    `samples: ${samples.length} from ${shoppers} shoppers; train ${split.train.length}, validation ${split.validation.length}, test ${split.test.length}`,
  );
  if (!split.train.length || !split.validation.length || !split.test.length) {
    throw new ValidationError('every split needs samples: widen --from/--to or lower --step-days', {
      path: 'snapshot range',
    });
  }
  const wd = await trainScorer(deps, 'W&D', buildWd(opts.fit.seed), split, opts.fit, opts);
  const lr = await trainScorer(deps, 'LR', buildLr, split, opts.logisticFit, opts);
  const truth = split.test.map((s) => ({ primary: s.primary, relevant: s.relevant }));
  const wdScores = score(tf, wd, split.test, K);
  const rows: EvaluationRow[] = [{ name: W_AND_D, kind: 'model', metrics: evaluateScores(wdScores, truth, K) }];
  const baselineScores: ScoredRows[] = [{ name: 'logistic regression', scores: score(tf, lr, split.test, K) }];
  rows.push({
    name: 'logistic regression',
    kind: 'baseline',
    metrics: evaluateScores(baselineScores[0]!.scores, truth, K),
  });
  lr.model.dispose();
  const seen = opts.refit ? [...split.train, ...split.validation] : split.train;
  for (const b of createBaselines(popularityOf(seen, K))) {
    const scores = scoreAll(b, split.test, K);
    baselineScores.push({ name: b.name, scores });
    rows.push({ name: b.name, kind: 'baseline', metrics: evaluateScores(scores, truth, K) });
  }
  const shopperIds = split.test.map((s) => s.userId);
  const comparisons = compareToBaselines({ name: W_AND_D, scores: wdScores }, baselineScores, truth, shopperIds, K);
  if (deps.incumbent) {
    const incumbent = { name: deps.incumbent.name, scores: deps.incumbent.score(split.test.map((s) => s.features)) };
    rows.push({ name: incumbent.name, kind: 'champion', metrics: evaluateScores(incumbent.scores, truth, K) });
    comparisons.push(...compareToBaselines({ name: W_AND_D, scores: wdScores }, [incumbent], truth, shopperIds, K));
  }
  if (deps.source.truth) {
    const ceiling = { name: 'ceiling (true probabilities)', scores: ceilingScores(split.test, deps.source.truth, K) };
    rows.push({ name: ceiling.name, kind: 'ceiling', metrics: evaluateScores(ceiling.scores, truth, K) });
    // The room any model has: how far the truth itself is ahead of popularity.
    comparisons.push(
      ...compareToBaselines(
        ceiling,
        baselineScores.filter((b) => b.name === 'popularity'),
        truth,
        shopperIds,
        K,
      ),
    );
  }
  const tested = timeSpan(split.test);
  return {
    model: wd.model,
    encoder: wd.encoder,
    fit: wd.fit,
    evaluation: { testFrom: tested.from, testTo: tested.to, samples: split.test.length, rows, comparisons },
    counts: { shoppers, train: split.train.length, validation: split.validation.length, test: split.test.length },
    range: { trainEnd: split.trainEnd, validationEnd: split.validationEnd },
  };
}
