import { runAsJsonChild } from '../../core/json-child.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peakRssMiB } from '../../core/process-memory.ts';
import { computeUserFeatures, type FeatureOptions } from '../../features/compute-features.ts';
import { selectBackend, type BackendName, type Tf } from '../backend/select-backend.ts';
import { createEncodePool, type EncodePool } from '../data/encode-pool.ts';
import { fitEncoder, type EncodedBatch, type Encoder } from '../data/encoder.ts';
import { createGeneratedSource } from '../data/generated-source.ts';
import type { ShopperHistory } from '../data/shopper-history.ts';
import { samplesOf, snapshotTimes, type Sample } from '../data/snapshots.ts';
import { saveArtifact, type ArtifactMeta } from '../registry/artifact.ts';
import { normalizedTargets } from '../train/batches.ts';
import { createTrainStep } from '../train/train-step.ts';
import { createPredictPool, type PredictPool } from '../wide-deep/predict-pool.ts';
import { inputTensors, predictProbabilities } from '../wide-deep/predict.ts';
import { buildWideDeep } from '../wide-deep/wide-deep-model.ts';
import { runSweep } from './sweep.ts';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Tensor = import('@tensorflow/tfjs').Tensor;

/**
 * One variant at one scale, in its own process (tfjs has one engine per process, and peak RSS
 * must be this run's alone). Variants: a backend in-process, or `wasm-workers` (a predict pool of
 * `workers` threads, wasm each; training is not threaded, so it reports none).
 *   training:  the lean step (train-step.ts) on `trainBatches` batches after 2 warm-up batches;
 *   predict:   rows/s of the model alone on encoded rows, at `predictBatch` rows per call;
 *   sweep:     `shoppers` feature rows, JSON -> encode -> predict -> top-3 message (sweep.ts).
 * Features are computed for up to `distinct` generated shoppers and repeated up to `shoppers`:
 * a sweep row costs the same whoever it is, and computing 1M histories would time the generator.
 */
export interface ThroughputOptions {
  backend: BackendName | 'wasm-workers';
  shoppers: number;
  trainBatches: number;
  batchSize: number;
  predictBatch: number;
  seed: number;
  workers?: number;
  distinct?: number;
  /** Threads that parse and encode the sweep's rows while this one predicts (0: all on this thread). */
  encodeWorkers?: number;
}

export interface ThroughputResult {
  backend: string;
  variant: string;
  shoppers: number;
  parameters: number;
  workers: number;
  encodeWorkers: number;
  trainSamplesPerSec: number | null;
  predictRowsPerSec: number;
  sweepShoppersPerSec: number;
  sweepSeconds: number;
  /** Where the sweep's time went, in seconds (predict overlaps the others with a pool). */
  sweepProfile: { parse: number; encode: number; predict: number; publish: number };
  featuresPerSec: number;
  samplesPerShopper: number;
  peakRssMiB: number | null;
  versions: Record<string, string>;
  /** Layer sizes, for the same-shape PyTorch reference. */
  layout: {
    numeric: number;
    wide: number;
    deep: number;
    wideVocab: number;
    deepVocab: number;
    numericNames?: string[];
  };
}

const K = 16;
const featureOpts: FeatureOptions = { numCategories: K };

function trainingSamples(histories: Iterable<ShopperHistory>, need: number): { samples: Sample[]; shoppers: number } {
  const range = { from: Date.UTC(2019, 0, 1), to: Date.UTC(2020, 0, 1), stepDays: 7, horizonDays: 28 };
  const times = snapshotTimes(range);
  const samples: Sample[] = [];
  let shoppers = 0;
  for (const h of histories) {
    samples.push(...samplesOf(h, times, { ...range, numCategories: K }));
    if (++shoppers && samples.length >= need) break;
  }
  return { samples, shoppers };
}

async function trainRate(
  tf: Tf,
  model: LayersModel,
  encoder: Encoder,
  samples: Sample[],
  o: ThroughputOptions,
): Promise<number> {
  const step = createTrainStep(tf, model, { learningRate: 1e-3 });
  const x = encoder.encode(samples.map((s) => s.features));
  const y = normalizedTargets(samples, K);
  let ms = 0;
  for (let b = 0; b < o.trainBatches + 2; b++) {
    const start = (b * o.batchSize) % Math.max(1, samples.length - o.batchSize);
    const t0 = performance.now();
    const xs = inputTensors(tf, encoder.layout, x, start, start + o.batchSize);
    const ys = tf.tensor2d(y.subarray(start * K, (start + o.batchSize) * K), [o.batchSize, K]);
    await step.run(xs, ys);
    tf.dispose([...xs, ys] as Tensor[]);
    if (b >= 2) ms += performance.now() - t0; // two warm-up batches build kernels
  }
  step.dispose();
  return Math.round((o.trainBatches * o.batchSize) / (ms / 1000));
}

/** Rows/s of prediction alone, repeated over one encoded block for about two seconds. */
async function predictRate(
  predict: (b: EncodedBatch) => Promise<Float32Array> | Float32Array,
  block: EncodedBatch,
): Promise<number> {
  await predict(block);
  let rows = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 2000) {
    await predict(block);
    rows += block.n;
  }
  return Math.round(rows / ((performance.now() - t0) / 1000));
}

function features(histories: Iterable<ShopperHistory>, distinct: number): { rows: string[]; perSec: number } {
  const asOf = new Date(Date.UTC(2019, 11, 1));
  const rows: string[] = [];
  const t0 = performance.now();
  for (const h of histories) {
    rows.push(
      JSON.stringify(
        computeUserFeatures({ userId: h.userId, profile: h.profile, orders: h.orders, asOf }, featureOpts),
      ),
    );
    if (rows.length >= distinct) break;
  }
  return { rows, perSec: Math.round(rows.length / ((performance.now() - t0) / 1000)) };
}

export async function measureThroughput(o: ThroughputOptions): Promise<ThroughputResult> {
  const pooled = o.backend === 'wasm-workers';
  const backend = await selectBackend({ only: [pooled ? 'wasm' : (o.backend as BackendName)] });
  const { tf } = backend;
  const source = createGeneratedSource({ seed: o.seed, shoppers: o.shoppers });
  const { samples, shoppers } = trainingSamples(
    source.histories() as Iterable<ShopperHistory>,
    (o.trainBatches + 2) * o.batchSize,
  );
  const encoder = fitEncoder(
    samples.map((s) => s.features),
    { categories: [...source.categories], lastN: 5 },
  );
  const model = buildWideDeep(tf, { layout: encoder.layout, K });
  const train = pooled ? null : await trainRate(tf, model, encoder, samples, o);
  const feats = features(source.histories() as Iterable<ShopperHistory>, Math.min(o.shoppers, o.distinct ?? 50_000));
  const block = encoder.encode(feats.rows.slice(0, 32_768).map((r) => JSON.parse(r)));
  let pool: PredictPool | null = null;
  let encoders: EncodePool | null = null;
  const dir = pooled ? await mkdtemp(join(tmpdir(), 'bench-model-')) : null;
  try {
    if (dir) {
      await saveArtifact(tf, dir, model, {
        version: 'bench',
        schemaHash: encoder.state.schemaHash,
        encoder: encoder.state,
      } as ArtifactMeta);
      pool = await createPredictPool({
        modelDir: dir,
        workers: o.workers ?? 2,
        batchSize: o.predictBatch,
        minRows: 4096,
      });
    }
    const predict = pool
      ? (b: EncodedBatch) => pool!.predict(b)
      : (b: EncodedBatch) => predictProbabilities(tf, model, encoder.layout, b, K, o.predictBatch);
    const predictRowsPerSec = await predictRate(predict, block);
    if (!pool && o.encodeWorkers)
      encoders = await createEncodePool({ encoder: encoder.state, workers: o.encodeWorkers });
    const sweep = await runSweep({
      rows: feats.rows,
      total: o.shoppers,
      chunk: 16_384,
      encoder,
      K,
      predict,
      inFlight: pool ? 2 * pool.workers : 1,
      encodePool: encoders ?? undefined,
    });
    return {
      backend: pool ? `${pool.backend} x ${pool.workers} workers` : `${backend.name} (${backend.engine})`,
      variant: o.backend,
      shoppers: o.shoppers,
      parameters: model.countParams(),
      workers: pool?.workers ?? 1,
      encodeWorkers: encoders ? (o.encodeWorkers ?? 0) : 0,
      trainSamplesPerSec: train,
      predictRowsPerSec,
      sweepShoppersPerSec: Math.round(sweep.published / sweep.seconds),
      sweepSeconds: Math.round(sweep.seconds * 10) / 10,
      featuresPerSec: feats.perSec,
      sweepProfile: {
        parse: sweep.parseSeconds,
        encode: sweep.encodeSeconds,
        predict: sweep.predictSeconds,
        publish: sweep.publishSeconds,
      },
      samplesPerShopper: Math.round((samples.length / shoppers) * 100) / 100,
      peakRssMiB: await peakRssMiB(),
      versions: backend.versions,
      layout: { ...encoder.layout, numericNames: undefined },
    };
  } finally {
    await pool?.close();
    await encoders?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/** `node --import tsx model/bench/throughput.ts '{"backend":"wasm",...}'` prints one JSON line. */
runAsJsonChild(import.meta.url, measureThroughput);
