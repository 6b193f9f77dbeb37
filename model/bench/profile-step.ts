import { selectBackend, type BackendName } from '../backend/select-backend.ts';
import { fitEncoder } from '../data/encoder.ts';
import { createGeneratedSource } from '../data/generated-source.ts';
import type { ShopperHistory } from '../data/shopper-history.ts';
import { samplesOf, snapshotTimes } from '../data/snapshots.ts';
import { normalizedTargets } from '../train/batches.ts';
import { createTrainStep } from '../train/train-step.ts';
import { inferenceGraph } from '../wide-deep/inference-graph.ts';
import { inputTensors } from '../wide-deep/predict.ts';
import { buildWideDeep } from '../wide-deep/wide-deep-model.ts';

type Tensor = import('@tensorflow/tfjs').Tensor;

/**
 * Where a training step's time goes: kernels launched per step (by name) and ms per step, for
 * the layers API's trainOnBatch, the lean step with tf.variableGrads and with the gradient by hand
 * (train-step.ts), at given batch sizes.
 * `npx tsx model/bench/profile-step.ts '{"backend":"tfjs-node","batchSizes":[256,1024],"steps":30}'`
 */
interface ProfileOptions {
  backend: BackendName;
  batchSizes: number[];
  steps: number;
  hidden?: number[];
  batchNorm?: boolean;
  /** Also profile one prediction call at these batch sizes: layers predict vs the folded graph. */
  predictBatches?: number[];
}

const K = 16;

async function main(o: ProfileOptions): Promise<void> {
  const { tf, name } = await selectBackend({ only: [o.backend] });
  const source = createGeneratedSource({ seed: 42, shoppers: 400 });
  const range = { from: Date.UTC(2019, 0, 1), to: Date.UTC(2020, 0, 1), stepDays: 7, horizonDays: 28 };
  const samples = [...(source.histories() as Iterable<ShopperHistory>)].flatMap((h) =>
    samplesOf(h, snapshotTimes(range), { ...range, numCategories: K }),
  );
  const encoder = fitEncoder(
    samples.map((s) => s.features),
    { categories: [...source.categories], lastN: 5 },
  );
  const x = encoder.encode(samples.map((s) => s.features));
  const y = normalizedTargets(samples, K);
  for (const bs of o.batchSizes) {
    const xs = inputTensors(tf, encoder.layout, x, 0, bs);
    const ys = tf.tensor2d(y.subarray(0, bs * K), [bs, K]);
    const layers = buildWideDeep(tf, { layout: encoder.layout, K, hidden: o.hidden, batchNorm: o.batchNorm });
    layers.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const lean = buildWideDeep(tf, { layout: encoder.layout, K, hidden: o.hidden, batchNorm: o.batchNorm });
    const autodiff = createTrainStep(tf, lean, { learningRate: 1e-3, gradients: 'autodiff' });
    const manual = buildWideDeep(tf, { layout: encoder.layout, K, hidden: o.hidden, batchNorm: o.batchNorm });
    const step = createTrainStep(tf, manual, { learningRate: 1e-3 });
    const loops: [string, () => Promise<unknown>][] = [
      ['trainOnBatch', () => layers.trainOnBatch(xs, ys)],
      ['autodiff step', () => autodiff.run(xs, ys)],
      ['manual step', () => step.run(xs, ys)],
    ];
    for (const [label, fn] of loops) await report(tf, `${name} batch ${bs} ${label}`, fn, o.steps, bs);
    step.dispose();
    autodiff.dispose();
    layers.dispose();
    lean.dispose();
    manual.dispose();
    tf.dispose([...xs, ys] as Tensor[]);
  }
  for (const bs of o.predictBatches ?? []) {
    const model = buildWideDeep(tf, { layout: encoder.layout, K, hidden: o.hidden, batchNorm: o.batchNorm });
    const xs = inputTensors(tf, encoder.layout, x, 0, Math.min(bs, x.n));
    const graph = inferenceGraph(tf, model)!;
    const calls: [string, () => Promise<unknown>][] = [
      ['layers predict', async () => read(tf.tidy(() => model.predict(xs, { batchSize: bs }) as Tensor))],
      ['folded graph', async () => read(tf.tidy(() => graph.probabilities(xs)))],
    ];
    for (const [label, fn] of calls)
      await report(tf, `${name} predict ${xs[0]!.shape[0]} rows ${label}`, fn, o.steps, xs[0]!.shape[0]!);
    graph.dispose();
    model.dispose();
    tf.dispose(xs);
  }
}

/** Values out of the tensor after tidy: tidy walks a returned typed array element by element. */
function read(t: Tensor): void {
  t.dataSync();
  t.dispose();
}

type Tf = Awaited<ReturnType<typeof selectBackend>>['tf'];

function profileOnce(tf: Tf, fn: () => Promise<unknown>) {
  return tf.profile(async () => {
    await fn();
  });
}

async function report(tf: Tf, label: string, fn: () => Promise<unknown>, steps: number, rows: number): Promise<void> {
  for (let i = 0; i < 3; i++) await fn();
  const info = await profileOnce(tf, fn);
  const byName = new Map<string, number>();
  for (const k of info.kernels) byName.set(k.name, (byName.get(k.name) ?? 0) + 1);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await fn();
  const ms = (performance.now() - t0) / steps;
  const top = [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 14)
    .map(([k, n]) => `${k}:${n}`)
    .join(' ');
  process.stdout.write(
    `${label}: ${info.kernels.length} kernels/call, ${ms.toFixed(2)} ms/call, ${Math.round(rows / (ms / 1000))} rows/s, ${((ms * 1000) / info.kernels.length).toFixed(1)} µs/kernel | ${top}\n`,
  );
}

main(JSON.parse(process.argv[2] ?? '{"backend":"tfjs-node","batchSizes":[256],"steps":20}') as ProfileOptions).catch(
  (err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  },
);
