import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKafka } from '../core/kafka.ts';
import { intFlag, stringFlag, type ParsedArgs } from '../core/args.ts';
import type { CommandContext } from '../core/command.ts';
import { ValidationError } from '../core/errors.ts';
import { kafkaBrokers, stackPaths, type StackSettings } from '../stack/settings.ts';
import { waitFor } from '../core/wait-for.ts';
import { FEATURE_MIGRATIONS } from '../consumers/feature-store/feature-migrations.ts';
import { queuedCount } from '../consumers/feature-store/recompute-queue.ts';
import { createScratchDatabase } from '../e2e/harness/scratch-database.ts';
import { startScratchCdc } from '../e2e/harness/scratch-cdc.ts';
import { createCategoryMap } from '../features/category-map.ts';
import { generateToDb } from '../shop/db-generate.ts';
import { createShopDbWriter } from '../shop/db-writer.ts';
import { createShopGenerator } from '../shop/generator/shop-generator.ts';
import { silentLogger } from '../core/logger.ts';
import { requireStack } from './require-stack.ts';
import { peakRssMiB } from '../core/process-memory.ts';
import type { Benchmark, Figures } from './benchmark.ts';
import { lagOf, runStep, type StepResult } from './ingest-step.ts';
import { spawnFeatureConsumer, stopChild } from './spawn-consumer.ts';

/** A step is sustained when the consumer is caught up this soon after the offered load stops: its lag stayed bounded. */
const SUSTAINED_DRAIN_S = 5;

/** The stack's own processes, for their CPU share. */
function stackPids(s: StackSettings): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of ['mariadb', 'kafka', 'connect'])
    try {
      out[name] = Number(readFileSync(join(stackPaths(s).run, `${name}.pid`), 'utf8').trim());
    } catch {
      // Not ours to measure (a stack started another way): left out of the CPU table.
    }
  return out;
}

async function residentMiB(pid: number): Promise<number | null> {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export const ingestBench: Benchmark = {
  name: 'ingest',
  summary: 'the live path: simulated orders/s into MariaDB -> Debezium -> feature store; lag, drain time, memory',
  args: {
    options: {
      rate: { type: 'string', value: 'R', default: '500' },
      duration: { type: 'string', value: 'S', default: '30', note: 'per step' },
      ramp: { type: 'string', value: 'R1,R2,...', note: 'several rates in turn, instead of --rate' },
      'max-drain': {
        type: 'string',
        value: 'S',
        default: '60',
        note: 'stop the ramp when a step does not drain in time',
      },
      'profile-consumer': { type: 'string', value: 'DIR', note: "write the consumer's CPU profile here" },
      shoppers: { type: 'string', value: 'N', default: '1468' },
    },
    note: '(needs `npm run stack -- up`)',
  },
  async run(args: ParsedArgs, ctx: CommandContext): Promise<Figures> {
    const duration = intFlag(args, 'duration', { min: 1 }),
      shoppers = intFlag(args, 'shoppers', { min: 10 }),
      maxDrainS = intFlag(args, 'max-drain', { min: 1 });
    const ramp = stringFlag(args, 'ramp');
    const rates = ramp ? ramp.split(',').map((r) => Number(r)) : [intFlag(args, 'rate', { min: 1 })];
    if (rates.some((r) => !Number.isInteger(r) || r < 1))
      throw new ValidationError('--ramp takes orders/s as whole numbers: 500,1000,2000');
    const s = await requireStack(ctx);
    const shop = await createScratchDatabase(s, 'bench_shop');
    const store = await createScratchDatabase(s, 'bench_fs', FEATURE_MIGRATIONS);
    const writer = createShopDbWriter({ pool: shop.pool, logger: silentLogger });
    await generateToDb({ generator: createShopGenerator({ seed: 11, shoppers }), writer, logger: silentLogger });
    const cdc = await startScratchCdc(s, shop.name);
    const prefix = cdc.topics.orders.name.split('.')[0]!;
    const config = {
      brokers: kafkaBrokers(s),
      store: store.db,
      cdc: { prefix, database: shop.name },
      groupId: 'bench-ingest',
      featuresTopic: `${prefix}.features.user.v1`,
      metricsPort: 0,
      pendingGraceMs: 60_000,
      publish: true,
      concurrency: 2,
      sessionTimeoutMs: 10_000,
      logLevel: 'warn' as const,
    };
    const admin = createKafka({ clientId: 'bench', brokers: config.brokers }).admin();
    await admin.connect();
    const t0 = Date.now();
    const profileDir = stringFlag(args, 'profile-consumer');
    const pids: Record<string, number> = { simulator: process.pid, ...stackPids(s) };
    // Like the stack's supervisor: a consumer that stopped for good (it exits) is started again, and counted.
    let restarts = 0;
    let stopping = false;
    const spawnOne = (): ChildProcess => {
      const c = spawnFeatureConsumer(
        config,
        shop.name,
        profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      );
      pids.consumer = c.pid!;
      c.once('exit', () => {
        if (stopping) return;
        restarts++;
        ctx.out(`  the consumer exited; restarting it (restart ${restarts})`);
        child = spawnOne();
      });
      return c;
    };
    let child = spawnOne();
    try {
      const idle = async () =>
        (await lagOf(admin, config.groupId, cdc.topics)).lag === 0 && (await queuedCount(store.pool)) === 0;
      await waitFor(idle, {
        timeoutMs: 3_600_000,
        intervalMs: 250,
        what: 'initial load',
      });
      const initialLoadS = (Date.now() - t0) / 1000;
      const loadedRss = await residentMiB(child.pid!);
      ctx.out(
        `${shoppers} shoppers loaded and caught up in ${initialLoadS.toFixed(1)} s (consumer RSS ${loadedRss} MiB); ` +
          `${rates.join(' -> ')} orders/s, ${duration} s each (sustained: drained within ${SUSTAINED_DRAIN_S} s of the stop)...`,
      );
      const deps = {
        admin,
        groupId: config.groupId,
        topics: cdc.topics,
        simulator: {
          pool: shop.pool,
          writer,
          logger: silentLogger,
          categoryMap: createCategoryMap(),
          progress: () => {},
        },
        pids,
        maxDrainS,
        log: ctx.out,
        queued: () => queuedCount(store.pool),
      };
      const steps: StepResult[] = [];
      for (const [i, rate] of rates.entries()) {
        const step = await runStep(deps, rate, duration, 5 + i);
        steps.push(step);
        if (step.drainSeconds === null) break;
      }
      const sustained = steps.filter((x) => x.drainSeconds !== null && x.drainSeconds <= SUSTAINED_DRAIN_S);
      const best = Math.max(0, ...sustained.map((x) => x.placedPerSec));
      const figures: Figures = {
        initial_load_seconds: Math.round(initialLoadS * 10) / 10,
        consumer_rss_after_load_mib: loadedRss,
        highest_sustained_orders_per_sec: best,
        consumer_restarts: restarts,
        consumer_peak_rss_mib: await peakRssMiB(child.pid!),
        ...Object.fromEntries(
          steps.flatMap((x) => [
            [`step_${x.offered}_placed_per_sec`, x.placedPerSec],
            [`step_${x.offered}_cdc_events_per_sec`, x.cdcEventsPerSec],
            [`step_${x.offered}_max_lag`, x.maxLag],
            [`step_${x.offered}_drain_s`, x.drainSeconds],
            ...Object.entries(x.cpu).map(([k, v]) => [`step_${x.offered}_cpu_${k}`, v]),
            ...Object.entries(x.cpuMsPerEvent).map(([k, v]) => [`step_${x.offered}_cpu_ms_per_event_${k}`, v]),
            [`step_${x.offered}_projected_orders_per_sec`, x.projectedOrdersPerSec],
          ]),
        ),
      };
      ctx.out(
        `highest sustained rate: ${best} orders/s placed; consumer peak RSS ${figures.consumer_peak_rss_mib} MiB`,
      );
      return figures;
    } finally {
      stopping = true;
      await stopChild(child);
      await admin.disconnect();
      await cdc.stop().catch(() => {});
      await shop.drop();
      await store.drop();
    }
  },
};
