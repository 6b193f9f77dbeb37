import { createKafka } from '../core/kafka.ts';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuSeconds } from './cpu-share.ts';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { intFlag, stringFlag, type ParsedArgs } from '../core/args.ts';
import { ValidationError } from '../core/errors.ts';
import { cdcTopics } from '../streams/cdc/topics.ts';
import type { CommandContext } from '../core/command.ts';
import { kafkaClasspath } from '../stack/jars.ts';
import { kafkaBrokers, stackPaths, type StackSettings } from '../stack/settings.ts';
import { waitFor } from '../core/wait-for.ts';
import { FEATURE_MIGRATIONS } from '../consumers/feature-store/feature-migrations.ts';
import { replayFeatures } from '../consumers/feature-store/replay.ts';
import { createScratchDatabase, type TestDatabase } from '../e2e/harness/scratch-database.ts';
import { startScratchCdc, type TestCdc } from '../e2e/harness/scratch-cdc.ts';
import { createCategoryMap } from '../features/category-map.ts';
import { generateToDb } from '../shop/db-generate.ts';
import { createShopDbWriter } from '../shop/db-writer.ts';
import { createShopGenerator } from '../shop/generator/shop-generator.ts';
import { silentLogger } from '../core/logger.ts';
import { requireStack } from './require-stack.ts';
import { peakRssMiB } from '../core/process-memory.ts';
import type { Benchmark, Figures } from './benchmark.ts';

const run = promisify(execFile);
const LINES_PER_SHOPPER = 52_924 / 1_468;

async function topicCount(s: StackSettings, topic: string): Promise<number> {
  const admin = createKafka({ clientId: 'bench', brokers: kafkaBrokers(s) }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((a, p) => a + Number(p.high) - Number(p.low), 0);
  } catch {
    return 0;
  } finally {
    await admin.disconnect();
  }
}

/** Kafka's own consumer (kafka-consumer-perf-test's class) on the same topic: the raw rate to compare with. */
async function rawConsumerRate(
  s: StackSettings,
  topic: string,
  messages: number,
): Promise<{ msgsPerSec: number; mbPerSec: number; cpuSeconds: number }> {
  let cpu = 0;
  const pending = run(
    'java',
    [
      '-Xmx512m',
      '-cp',
      kafkaClasspath(s),
      'org.apache.kafka.tools.ConsumerPerformance',
      '--bootstrap-server',
      kafkaBrokers(s)[0]!,
      '--topic',
      topic,
      '--messages',
      String(messages),
      '--group',
      `perf-${randomBytes(3).toString('hex')}`,
      '--timeout',
      '120000',
      '--hide-header',
    ],
    { maxBuffer: 1 << 20 },
  );
  // Its CPU time, sampled until it exits (the last sample is at most 200 ms old).
  const pid = pending.child.pid;
  const sampler = setInterval(() => (cpu = (pid && cpuSeconds(pid)) || cpu), 200);
  const { stdout } = await pending.finally(() => clearInterval(sampler));
  // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
  const cols = stdout
    .trim()
    .split('\n')
    .at(-1)!
    .split(',')
    .map((c) => c.trim());
  return { mbPerSec: Number(cols[3]), msgsPerSec: Number(cols[5]), cpuSeconds: cpu };
}

async function prepare(
  s: StackSettings,
  ctx: CommandContext,
  lines: number,
): Promise<{ shop: TestDatabase; cdc: TestCdc; events: number }> {
  const shop = await createScratchDatabase(s, 'bench_shop');
  const shoppers = Math.max(10, Math.ceil(lines / LINES_PER_SHOPPER));
  ctx.out(
    `generating ${shoppers.toLocaleString('en')} shoppers (~${lines.toLocaleString('en')} order lines) into ${shop.name}...`,
  );
  const generator = createShopGenerator({ seed: 7, shoppers, targetLines: lines });
  const g = await generateToDb({
    generator,
    writer: createShopDbWriter({ pool: shop.pool, logger: silentLogger }),
    logger: silentLogger,
  });
  ctx.out(
    `  ${g.orders.toLocaleString('en')} orders, ${g.lines.toLocaleString('en')} lines; Debezium snapshot into fresh topics...`,
  );
  const cdc = await startScratchCdc(s, shop.name);
  const total = g.shoppers + g.orders + g.lines;
  await waitFor(
    async () => {
      const n = (await Promise.all(Object.values(cdc.topics).map((t) => topicCount(s, t.name)))).reduce(
        (a, b) => a + b,
        0,
      );
      return n >= total;
    },
    { timeoutMs: 3_600_000, intervalMs: 1000, what: 'the snapshot to reach Kafka' },
  );
  return { shop, cdc, events: await topicCount(s, cdc.topics.orderItems.name) };
}

/** Topics of an earlier run (the shop database is gone, the topics stay), or a freshly generated shop. */
async function prepareOrReuse(s: StackSettings, ctx: CommandContext, lines: number, reuse: string | undefined) {
  if (!reuse) return prepare(s, ctx, lines);
  const [prefix, database] = reuse.split('.');
  if (!prefix || !database) throw new ValidationError('--topics takes PREFIX.DATABASE, as in cdc.shop');
  const topics = cdcTopics({ prefix, database });
  const events = await topicCount(s, topics.orderItems.name);
  if (!events) throw new ValidationError(`${topics.orderItems.name} is empty or missing`);
  ctx.out(`reusing the topics ${prefix}.${database}.* (${events.toLocaleString('en')} order lines)`);
  const none = { drop: async () => {} };
  return { shop: none, cdc: { topics, stop: async () => {} }, events };
}

export const replayBench: Benchmark = {
  name: 'replay',
  summary:
    "rebuild the feature store from N order-line events (real Debezium topics) vs Kafka's own consumer on the same topic",
  args: {
    options: {
      events: { type: 'string', value: 'N', default: '1000000' },
      topics: {
        type: 'string',
        value: 'PREFIX.DATABASE',
        note: 'replay CDC topics an earlier run left in Kafka instead of generating a shop',
      },
    },
    note: '(needs `npm run stack -- up`)',
  },
  async run(args: ParsedArgs, ctx: CommandContext): Promise<Figures> {
    const lines = intFlag(args, 'events', { min: 1_000 });
    const s = await requireStack(ctx);
    const { shop, cdc, events } = await prepareOrReuse(s, ctx, lines, stringFlag(args, 'topics'));
    const store = await createScratchDatabase(s, 'bench_fs', FEATURE_MIGRATIONS);
    try {
      ctx.out(`kafka-consumer-perf-test on ${cdc.topics.orderItems.name} (${events.toLocaleString('en')} messages)...`);
      const raw = await rawConsumerRate(s, cdc.topics.orderItems.name, events);
      ctx.out('replaying all five CDC topics into a fresh store...');
      const cats = createCategoryMap();
      const mariadbPid = Number(readFileSync(join(stackPaths(s).run, 'mariadb.pid'), 'utf8').trim());
      const cpu0 = { self: process.cpuUsage(), mariadb: cpuSeconds(mariadbPid) ?? NaN };
      const prefix = cdc.topics.orders.name.split('.')[0]!;
      const r = await replayFeatures({
        into: 'fresh',
        freshDatabase: store.name,
        from: { kind: 'beginning' },
        logger: ctx.logger,
        numCategories: cats.model.length,
        modelIndexOf: (n) => cats.modelIndexOfRaw(n),
        config: {
          brokers: kafkaBrokers(s),
          store: store.db,
          cdc: { prefix, database: cdc.topics.orders.name.split('.')[1]! },
          groupId: 'bench-replay',
          featuresTopic: `${prefix}.features`,
          metricsPort: 0,
          pendingGraceMs: 3_600_000,
          publish: false,
          concurrency: 3,
          sessionTimeoutMs: 30_000,
          logLevel: 'warn',
        },
        onProgress: (p) =>
          process.stderr.write(
            `\r  ${p.done.toLocaleString('en')}/${p.total.toLocaleString('en')} events, ${Math.round(p.eventsPerSecond).toLocaleString('en')} ev/s   `,
          ),
      });
      process.stderr.write('\n');
      const selfCpu = process.cpuUsage(cpu0.self);
      const replayCpuS = (selfCpu.user + selfCpu.system) / 1e6;
      const mariadbCpuS = (cpuSeconds(mariadbPid) ?? NaN) - cpu0.mariadb;
      const rate = r.events / r.seconds;
      const figures: Figures = {
        order_line_events: events,
        all_events: r.events,
        replay_seconds: Math.round(r.seconds * 10) / 10,
        replay_events_per_sec: Math.round(rate),
        raw_consumer_msgs_per_sec: Math.round(raw.msgsPerSec),
        raw_consumer_mb_per_sec: Math.round(raw.mbPerSec * 10) / 10,
        ratio_to_raw: Math.round((rate / raw.msgsPerSec) * 1000) / 1000,
        shoppers: r.users,
        rejected: r.rejected,
        peak_rss_mib: await peakRssMiB(),
        replay_cpu_s: Math.round(replayCpuS * 10) / 10,
        mariadb_cpu_s: Math.round(mariadbCpuS * 10) / 10,
        raw_consumer_cpu_s: Math.round(raw.cpuSeconds * 10) / 10,
        // Per CPU-second, so a machine shared with others still compares the two fairly.
        ratio_per_cpu_second:
          Math.round((r.events / (replayCpuS + mariadbCpuS) / (events / Math.max(raw.cpuSeconds, 0.001))) * 1000) /
          1000,
        ...Object.fromEntries(Object.entries(r.phases).map(([k, v]) => [`phase_${k}`, v])),
      };
      ctx.out(
        `replay: ${r.events.toLocaleString('en')} events in ${r.seconds.toFixed(1)} s = ${Math.round(rate).toLocaleString('en')} events/s (${r.users} shoppers recomputed)`,
      );
      ctx.out(
        `CPU: replay ${figures.replay_cpu_s} s + MariaDB ${figures.mariadb_cpu_s} s for ${r.events.toLocaleString('en')} events; ` +
          `kafka-consumer-perf-test ${figures.raw_consumer_cpu_s} s for ${events.toLocaleString('en')}: events per CPU-second ratio ${figures.ratio_per_cpu_second}`,
      );
      ctx.out(
        `phases (ms): ${Object.entries(r.phases)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
      ctx.out(
        `kafka-consumer-perf-test: ${Math.round(raw.msgsPerSec).toLocaleString('en')} msgs/s (${raw.mbPerSec.toFixed(1)} MB/s)`,
      );
      ctx.out(
        `ratio replay/raw: ${figures.ratio_to_raw} (target >= 0.5); peak RSS of this process ${figures.peak_rss_mib} MiB`,
      );
      return figures;
    } finally {
      await cdc.stop().catch(() => {});
      await shop.drop();
      await store.drop();
    }
  },
};
