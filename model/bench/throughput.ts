import { peakRssMiB } from '../../core/process-memory.ts';
import { computeUserFeatures, type FeatureOptions } from '../../features/compute-features.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import { selectBackend, type BackendName } from '../backend/select-backend.ts';
import { fitEncoder } from '../data/encoder.ts';
import { createGeneratedSource } from '../data/generated-source.ts';
import type { ShopperHistory } from '../data/shopper-history.ts';
import { samplesOf, snapshotTimes, type Sample } from '../data/snapshots.ts';
import { normalizedTargets } from '../train/batches.ts';
import { inputTensors, predictProbabilities } from '../wide-deep/predict.ts';
import { buildWideDeep } from '../wide-deep/wide-deep-model.ts';

type Tensor = import('@tensorflow/tfjs').Tensor;

/**
 * One backend at one scale, in its own process (tfjs has one engine per process, and peak RSS
 * must be this run's alone). Training speed is per sample, so it is timed on a fixed number of
 * batches; inference scores every shopper: generate history -> features at one time -> encode
 * -> predict, streamed in chunks so memory stays flat at 1M shoppers.
 */
export interface ThroughputOptions {
  backend: BackendName;
  shoppers: number;
  trainBatches: number;
  batchSize: number;
  seed: number;
}

export interface ThroughputResult {
  backend: string;
  shoppers: number;
  parameters: number;
  trainSamplesPerSec: number;
  inferShoppersPerSec: number;
  predictRowsPerSec: number;
  samplesPerShopper: number;
  peakRssMiB: number | null;
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
    shoppers++;
    if (samples.length >= need) break;
  }
  return { samples, shoppers };
}

export async function measureThroughput(o: ThroughputOptions): Promise<ThroughputResult> {
  const { tf, name, engine } = await selectBackend({ only: [o.backend] });
  const source = createGeneratedSource({ seed: o.seed, shoppers: o.shoppers });
  const need = (o.trainBatches + 2) * o.batchSize;
  const { samples, shoppers } = trainingSamples(source.histories() as Iterable<ShopperHistory>, need);
  const encoder = fitEncoder(
    samples.map((s) => s.features),
    { categories: [...source.categories], lastN: 5 },
  );
  const model = buildWideDeep(tf, { layout: encoder.layout, K });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const x = encoder.encode(samples.map((s) => s.features));
  const y = normalizedTargets(samples, K);
  let trainMs = 0;
  for (let b = 0; b < o.trainBatches + 2; b++) {
    const start = (b * o.batchSize) % Math.max(1, samples.length - o.batchSize);
    const t0 = performance.now();
    const xs = inputTensors(tf, encoder.layout, x, start, start + o.batchSize);
    const ys = tf.tensor2d(y.subarray(start * K, (start + o.batchSize) * K), [o.batchSize, K]);
    await model.trainOnBatch(xs, ys);
    tf.dispose([...xs, ys] as Tensor[]);
    if (b >= 2) trainMs += performance.now() - t0; // two warm-up batches compile kernels
  }
  const asOf = new Date(Date.UTC(2019, 11, 1));
  let chunk: UserFeatures[] = [];
  let predictMs = 0,
    scored = 0;
  const flush = () => {
    const t0 = performance.now();
    predictProbabilities(tf, model, encoder.layout, encoder.encode(chunk), K, 1024);
    predictMs += performance.now() - t0;
    scored += chunk.length;
    chunk = [];
  };
  const t0 = performance.now();
  for (const h of source.histories() as Iterable<ShopperHistory>) {
    chunk.push(computeUserFeatures({ userId: h.userId, profile: h.profile, orders: h.orders, asOf }, featureOpts));
    if (chunk.length === 8192) flush();
  }
  if (chunk.length) flush();
  const inferMs = performance.now() - t0;
  return {
    backend: `${name} (${engine})`,
    shoppers: o.shoppers,
    parameters: model.countParams(),
    trainSamplesPerSec: Math.round((o.trainBatches * o.batchSize) / (trainMs / 1000)),
    inferShoppersPerSec: Math.round(scored / (inferMs / 1000)),
    predictRowsPerSec: Math.round(scored / (predictMs / 1000)),
    samplesPerShopper: Math.round((samples.length / shoppers) * 100) / 100,
    peakRssMiB: await peakRssMiB(),
  };
}

/** `node --import tsx model/bench/throughput.ts '{"backend":"wasm",...}'` prints one JSON line. */
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').slice(-3).join('/'))) {
  measureThroughput(JSON.parse(process.argv[2]!) as ThroughputOptions)
    .then((r) => process.stdout.write(`${JSON.stringify(r)}\n`))
    .catch((err) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
}
