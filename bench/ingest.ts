import { createKafka } from '../core/kafka.ts';
import type { Admin } from 'kafkajs';
import { intFlag, type ParsedArgs } from '../core/args.ts';
import type { CommandContext } from '../core/command.ts';
import { kafkaBrokers } from '../stack/settings.ts';
import { waitFor } from '../core/wait-for.ts';
import { FEATURE_MIGRATIONS } from '../consumers/feature-store/feature-migrations.ts';
import { groupLag } from '../consumers/feature-store/group-lag.ts';
import { startFeatureConsumer } from '../consumers/feature-store/app.ts';
import { createScratchDatabase } from '../e2e/harness/scratch-database.ts';
import { startScratchCdc } from '../e2e/harness/scratch-cdc.ts';
import { createCategoryMap } from '../features/category-map.ts';
import { generateToDb } from '../shop/db-generate.ts';
import { createShopDbWriter } from '../shop/db-writer.ts';
import { createShopGenerator } from '../shop/generator/shop-generator.ts';
import { runSimulator } from '../shop/simulator/simulator.ts';
import type { CdcTopics } from '../streams/cdc/topics.ts';
import { silentLogger } from '../core/logger.ts';
import { requireStack } from './require-stack.ts';
import { peakRssMiB } from '../core/process-memory.ts';
import type { Benchmark, Figures } from './benchmark.ts';

/** Events behind and events produced, over all CDC topics. */
async function lagOf(admin: Admin, groupId: string, topics: CdcTopics): Promise<{ lag: number; produced: number }> {
  const l = await groupLag(
    admin,
    groupId,
    Object.values(topics).map((t) => t.name),
  );
  return { lag: l.total, produced: l.produced };
}

export const ingestBench: Benchmark = {
  name: 'ingest',
  summary: 'the live path: simulated orders/s into MariaDB -> Debezium -> feature store; lag, drain time, memory',
  args: {
    options: {
      rate: { type: 'string', value: 'R', default: '500' },
      duration: { type: 'string', value: 'S', default: '30' },
      shoppers: { type: 'string', value: 'N', default: '1468' },
    },
    note: '(needs `npm run stack -- up`)',
  },
  async run(args: ParsedArgs, ctx: CommandContext): Promise<Figures> {
    const rate = intFlag(args, 'rate', { min: 1 }),
      duration = intFlag(args, 'duration', { min: 1 }),
      shoppers = intFlag(args, 'shoppers', { min: 10 });
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
    const consumer = await startFeatureConsumer(config, silentLogger);
    try {
      await waitFor(async () => (await lagOf(admin, config.groupId, cdc.topics)).lag === 0, {
        timeoutMs: 600_000,
        intervalMs: 250,
        what: 'initial load',
      });
      const initialLoadS = (Date.now() - t0) / 1000;
      ctx.out(
        `${shoppers} shoppers loaded and caught up in ${initialLoadS.toFixed(1)} s; simulating ${rate} orders/s for ${duration} s...`,
      );
      const before = await lagOf(admin, config.groupId, cdc.topics);
      let maxLag = 0;
      const sampler = setInterval(() => {
        lagOf(admin, config.groupId, cdc.topics).then(
          (l) => {
            maxLag = Math.max(maxLag, l.lag);
            process.stderr.write(`  lag ${l.lag} events\n`);
          },
          () => {},
        );
      }, 1000);
      const sim = await runSimulator(
        { pool: shop.pool, writer, logger: silentLogger, categoryMap: createCategoryMap(), progress: () => {} },
        {
          rate,
          seed: 5,
          durationS: duration,
          cancelRate: 0.03,
          refundRate: 0.02,
          payDelayMs: 2000,
          refundDelayMs: 10_000,
          concurrency: 4,
        },
      );
      const stopAt = Date.now();
      await waitFor(async () => (await lagOf(admin, config.groupId, cdc.topics)).lag === 0, {
        timeoutMs: 600_000,
        intervalMs: 100,
        what: 'drain',
      });
      clearInterval(sampler);
      const drainS = (Date.now() - stopAt) / 1000;
      const after = await lagOf(admin, config.groupId, cdc.topics);
      const events = after.produced - before.produced;
      const eventsPerSec = events / ((Date.now() - stopAt) / 1000 + sim.seconds);
      const figures: Figures = {
        offered_orders_per_sec: rate,
        placed_orders_per_sec: Math.round(sim.rate),
        cdc_events: events,
        cdc_events_per_sec: Math.round(events / sim.seconds),
        applied_events_per_sec: Math.round(eventsPerSec),
        max_lag_events: maxLag,
        drain_seconds: Math.round(drainS * 10) / 10,
        initial_load_seconds: Math.round(initialLoadS * 10) / 10,
        ratio_applied_to_produced: Math.round((eventsPerSec / (events / sim.seconds)) * 100) / 100,
        peak_rss_mib: await peakRssMiB(),
      };
      ctx.out(
        `placed ${sim.placed} orders at ${Math.round(sim.rate)}/s -> ${events} CDC events (${figures.cdc_events_per_sec}/s)`,
      );
      ctx.out(
        `max lag ${maxLag} events; drained ${drainS.toFixed(1)} s after the simulator stopped; peak RSS ${figures.peak_rss_mib} MiB (simulator and consumer in this process)`,
      );
      return figures;
    } finally {
      await consumer.stop();
      await admin.disconnect();
      await cdc.stop().catch(() => {});
      await shop.drop();
      await store.drop();
    }
  },
};
