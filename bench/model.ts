import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { intFlag, stringFlag, type ParsedArgs } from '../core/args.ts';
import type { CommandContext } from '../core/command.ts';
import { AppError, ValidationError } from '../core/errors.ts';
import { BACKENDS, type BackendName } from '../model/backend/select-backend.ts';
import type { ThroughputOptions, ThroughputResult } from '../model/bench/throughput.ts';
import type { Benchmark, Figures } from './benchmark.ts';

/** Runs one measurement in a child process: one tfjs engine and one peak-RSS reading per run. */
function runChild(root: string, opts: ThroughputOptions): Promise<ThroughputResult | null> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'model/bench/throughput.ts'), JSON.stringify(opts)],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').at(-1);
      if (code === 0 && line) resolve(JSON.parse(line) as ThroughputResult);
      else {
        process.stderr.write(
          `${stderr.split('\n').find((l) => l.startsWith('Error')) ?? stderr.trim().split('\n').at(-1)}\n`,
        );
        resolve(null);
      }
    });
  });
}

function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export const modelBench: Benchmark = {
  name: 'model',
  summary:
    'Wide & Deep: training samples/s and batch-inference shoppers/s per tfjs backend at 100k and 1M shoppers, with peak memory',
  args: {
    options: {
      shoppers: { type: 'string', value: 'N,N', default: '100000,1000000' },
      backends: { type: 'string', value: 'A,B', default: BACKENDS.join(',') },
      'cpu-max-shoppers': { type: 'string', value: 'N', default: '100000' },
      'cpu-train-batches': { type: 'string', value: 'N', default: '3' },
      'train-batches': { type: 'string', value: 'N', default: '40' },
      'batch-size': { type: 'string', value: 'N', default: '256' },
    },
  },
  async run(args: ParsedArgs, ctx: CommandContext): Promise<Figures> {
    const scales = list(stringFlag(args, 'shoppers')).map(Number);
    const backends = list(stringFlag(args, 'backends')) as BackendName[];
    for (const b of backends)
      if (!BACKENDS.includes(b)) throw new ValidationError(`unknown backend ${b}; one of ${BACKENDS.join(', ')}`);
    // The plain cpu backend is 10-30x slower: it is the reference, measured at the smaller scales only.
    const cpuMax = intFlag(args, 'cpu-max-shoppers', { min: 1 });
    const cpuBatches = intFlag(args, 'cpu-train-batches', { min: 1 });
    const base = {
      trainBatches: intFlag(args, 'train-batches', { min: 1 }),
      batchSize: intFlag(args, 'batch-size', { min: 1 }),
      seed: 42,
    };
    const figures: Figures = {};
    const results: ThroughputResult[] = [];
    for (const backend of backends) {
      for (const shoppers of scales) {
        if (backend === 'cpu' && shoppers > cpuMax) continue;
        ctx.out(`${backend} @ ${shoppers} shoppers ...`);
        const trainBatches = backend === 'cpu' ? Math.min(base.trainBatches, cpuBatches) : base.trainBatches;
        const r = await runChild(ctx.root, { ...base, trainBatches, backend, shoppers });
        if (!r) {
          ctx.out(`  ${backend}: not available here`);
          figures[`${backend}.available`] = false;
          break;
        }
        results.push(r);
        ctx.out(
          `  ${r.backend}: train ${r.trainSamplesPerSec} samples/s, inference ${r.inferShoppersPerSec} shoppers/s end-to-end (predict alone ${r.predictRowsPerSec} rows/s), peak RSS ${r.peakRssMiB} MiB, ${r.parameters} parameters`,
        );
        const key = `${backend}.${shoppers}`;
        Object.assign(figures, {
          [`${key}.trainSamplesPerSec`]: r.trainSamplesPerSec,
          [`${key}.inferShoppersPerSec`]: r.inferShoppersPerSec,
          [`${key}.predictRowsPerSec`]: r.predictRowsPerSec,
          [`${key}.peakRssMiB`]: r.peakRssMiB,
          // An epoch over a year of weekly snapshots at this scale, at the measured rate.
          [`${key}.epochSecondsProjected`]: Math.round((shoppers * r.samplesPerShopper) / r.trainSamplesPerSec),
        });
      }
    }
    if (!results.length) throw new AppError('no tfjs backend could run');
    const cpu = results.find((r) => r.backend.startsWith('cpu'));
    const best = results.filter((r) => r !== cpu && r.shoppers === cpu?.shoppers)[0];
    if (cpu && best) {
      figures.trainSpeedupVsCpu = Math.round((best.trainSamplesPerSec / cpu.trainSamplesPerSec) * 10) / 10;
      figures.predictSpeedupVsCpu = Math.round((best.predictRowsPerSec / cpu.predictRowsPerSec) * 10) / 10;
      ctx.out(
        `${best.backend} vs cpu (reference, same run, ${cpu.shoppers} shoppers): training x${figures.trainSpeedupVsCpu}, prediction x${figures.predictSpeedupVsCpu}`,
      );
    }
    return figures;
  },
};
