import { loadavg } from 'node:os';
import { intFlag, stringFlag, type ParsedArgs } from '../core/args.ts';
import type { CommandContext } from '../core/command.ts';
import { AppError, ValidationError } from '../core/errors.ts';
import { spawnJsonChild } from '../core/json-child.ts';
import { BACKENDS } from '../model/backend/select-backend.ts';
import { layoutOf } from '../model/data/feature-layout.ts';
import type { ThroughputOptions, ThroughputResult } from '../model/bench/throughput.ts';
import type { Benchmark, Figures } from './benchmark.ts';
import { runTorchReference } from './torch-reference.ts';

const VARIANTS = [...BACKENDS, 'wasm-workers'] as const;
type Variant = (typeof VARIANTS)[number];

/** Runs one measurement in a child process: one tfjs engine and one peak-RSS reading per run. */
async function runChild(root: string, opts: ThroughputOptions): Promise<ThroughputResult | string> {
  const r = await spawnJsonChild<ThroughputResult>(root, 'model/bench/throughput.ts', opts);
  if (r.ok) return r.value;
  return (
    r.stderr.split('\n').find((l) => /Error\b/.test(l)) ??
    r.stderr.trim().split('\n').at(-1) ??
    `exit ${r.code}`
  ).replace(/^\w*Error: /, '');
}

const list = (raw: string | undefined, fallback: string) =>
  (raw ?? fallback)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a && b ? Math.round((a / b) * 100) / 100 : null;

export const modelBench: Benchmark = {
  name: 'model',
  summary:
    'Wide & Deep per backend (wasm, wasm worker pool, native tfjs-node) and a same-shape PyTorch reference: training samples/s, predict rows/s, end-to-end sweep, peak memory',
  args: {
    options: {
      shoppers: { type: 'string', value: 'N,N', default: '100000,1000000' },
      backends: {
        type: 'string',
        value: 'LIST',
        default: 'tfjs-node-gpu,tfjs-node,wasm,wasm-workers',
        note: 'also cpu',
      },
      workers: { type: 'string', value: 'N', default: '2' },
      'batch-size': { type: 'string', value: 'N', default: '256' },
      'predict-batch': { type: 'string', value: 'N', default: '4096' },
      'train-batches': { type: 'string', value: 'N', default: '40' },
      'cpu-max-shoppers': { type: 'string', value: 'N', default: '100000' },
      'torch-seconds': { type: 'string', value: 'S', default: '3' },
      'torch-threads': { type: 'string', value: 'N,N', default: '2,1' },
      'encode-workers': { type: 'string', value: 'N', default: '1' },
    },
  },
  async run(args: ParsedArgs, ctx: CommandContext): Promise<Figures> {
    const scales = list(stringFlag(args, 'shoppers'), '100000,1000000').map(Number);
    const variants = list(stringFlag(args, 'backends'), 'tfjs-node-gpu,tfjs-node,wasm,wasm-workers') as Variant[];
    for (const v of variants)
      if (!VARIANTS.includes(v)) throw new ValidationError(`unknown backend ${v}; one of ${VARIANTS.join(', ')}`);
    const cpuMax = intFlag(args, 'cpu-max-shoppers', { min: 1 });
    const batchSize = intFlag(args, 'batch-size', { min: 1 }),
      predictBatch = intFlag(args, 'predict-batch', { min: 1 });
    const base = {
      trainBatches: intFlag(args, 'train-batches', { min: 1 }),
      batchSize,
      predictBatch,
      seed: 42,
      workers: intFlag(args, 'workers', { min: 1 }),
    };
    const figures: Figures = { batchSize, predictBatch };
    const results: ThroughputResult[] = [];
    for (const backend of variants) {
      for (const shoppers of scales) {
        if (backend === 'cpu' && shoppers > cpuMax) continue;
        const trainBatches = backend === 'cpu' ? Math.min(base.trainBatches, 3) : base.trainBatches;
        // Native predicts on this thread; a worker parses and encodes the next chunk meanwhile.
        const encodeWorkers = backend.startsWith('tfjs-node') ? intFlag(args, 'encode-workers', { min: 0 }) : 0;
        const r = await runChild(ctx.root, { ...base, trainBatches, backend, shoppers, encodeWorkers });
        if (typeof r === 'string') {
          ctx.out(`${backend}: not available here (${r})`);
          figures[`${backend}.available`] = false;
          break;
        }
        results.push(r);
        ctx.out(
          `${r.backend} @ ${shoppers}: train ${r.trainSamplesPerSec ?? '-'} samples/s (batch ${batchSize}), predict ${r.predictRowsPerSec} rows/s (batch ${predictBatch}), sweep ${r.sweepShoppersPerSec} shoppers/s (${r.sweepSeconds} s: parse ${r.sweepProfile.parse}, encode ${r.sweepProfile.encode}, predict ${r.sweepProfile.predict}, publish ${r.sweepProfile.publish}${r.encodeWorkers ? `; parsed and encoded on ${r.encodeWorkers} worker, encode = waiting for it` : ''}), peak RSS ${r.peakRssMiB} MiB${backend.startsWith('tfjs-node') ? `, TF threads ${process.env.TF_NUM_INTRAOP_THREADS ?? 1} intra-op / ${process.env.TF_NUM_INTEROP_THREADS ?? 1} inter-op` : ''}  [load ${load()}]`,
        );
        Object.assign(figures, {
          [`${backend}.${shoppers}.trainSamplesPerSec`]: r.trainSamplesPerSec,
          [`${backend}.${shoppers}.predictRowsPerSec`]: r.predictRowsPerSec,
          [`${backend}.${shoppers}.sweepShoppersPerSec`]: r.sweepShoppersPerSec,
          [`${backend}.${shoppers}.sweepSeconds`]: r.sweepSeconds,
          [`${backend}.${shoppers}.peakRssMiB`]: r.peakRssMiB,
          [`${backend}.${shoppers}.epochSecondsProjected`]: r.trainSamplesPerSec
            ? Math.round((shoppers * r.samplesPerShopper) / r.trainSamplesPerSec)
            : null,
        });
      }
    }
    if (!results.length) throw new AppError('no tfjs backend could run');
    figures.loadAvg = load();
    poolSpeedup(ctx, results, figures);
    await compareWithTorch(ctx, results, figures, {
      batchSize,
      predictBatch,
      seconds: intFlag(args, 'torch-seconds', { min: 1 }),
      threads: list(stringFlag(args, 'torch-threads'), '2,1').map(Number),
    });
    return figures;
  },
};

/**
 * The PyTorch reference at the same batch sizes, once per thread count; ratios are taken against
 * its best figure (2 OpenMP threads collapse when other work shares the 2 cores, 1 does not).
 */
async function compareWithTorch(
  ctx: CommandContext,
  results: ThroughputResult[],
  figures: Figures,
  o: { batchSize: number; predictBatch: number; seconds: number; threads: number[] },
): Promise<void> {
  const layout = { ...layoutOf({ K: 16, lastN: 5, regions: 1 }), ...results[0]!.layout };
  let tTrain = 0,
    tPredict = 0;
  for (const threads of o.threads) {
    const { figures: torch, reason } = await runTorchReference(ctx.root, {
      layout,
      K: 16,
      batchSizes: [o.batchSize],
      predictBatches: [o.predictBatch],
      seconds: o.seconds,
      threads,
    });
    if (!torch) {
      ctx.out(`PyTorch reference skipped: ${reason}`);
      figures.torch = null;
      return;
    }
    const train = torch.trainSamplesPerSec[String(o.batchSize)]!,
      predict = torch.predictRowsPerSec[String(o.predictBatch)]!;
    ctx.out(
      `PyTorch ${torch.torch} (${torch.threads} threads, ${torch.parameters} parameters): train ${train} samples/s (batch ${o.batchSize}), predict ${predict} rows/s (batch ${o.predictBatch})  [load ${load()}]`,
    );
    Object.assign(figures, {
      torch: torch.torch,
      [`torch.${threads}t.trainSamplesPerSec`]: train,
      [`torch.${threads}t.predictRowsPerSec`]: predict,
    });
    tTrain = Math.max(tTrain, train);
    tPredict = Math.max(tPredict, predict);
  }
  for (const r of results) {
    const train = ratio(r.trainSamplesPerSec, tTrain),
      predict = ratio(r.predictRowsPerSec, tPredict);
    ctx.out(
      `  ${r.backend} @ ${r.shoppers} vs PyTorch's best: training x${train ?? '-'} (target 0.5), prediction x${predict} (target 1.0); sweep of ${r.shoppers} took ${r.sweepSeconds} s (target 1M in 30 s)`,
    );
    Object.assign(figures, {
      [`${r.variant}.${r.shoppers}.trainVsTorch`]: train,
      [`${r.variant}.${r.shoppers}.predictVsTorch`]: predict,
    });
  }
}

/** Worker pool vs the same wasm backend on one thread, at each scale both ran. */
function poolSpeedup(ctx: CommandContext, results: ThroughputResult[], figures: Figures): void {
  for (const pool of results.filter((r) => r.variant === 'wasm-workers')) {
    const one = results.find((r) => r.variant === 'wasm' && r.shoppers === pool.shoppers);
    if (!one) continue;
    const predict = ratio(pool.predictRowsPerSec, one.predictRowsPerSec),
      sweep = ratio(pool.sweepShoppersPerSec, one.sweepShoppersPerSec);
    ctx.out(`wasm ${pool.workers} workers vs 1 thread @ ${pool.shoppers}: predict x${predict}, sweep x${sweep}`);
    Object.assign(figures, {
      [`wasm-workers.${pool.shoppers}.predictSpeedup`]: predict,
      [`wasm-workers.${pool.shoppers}.sweepSpeedup`]: sweep,
    });
  }
}
