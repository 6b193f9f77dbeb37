import { createKafka } from '../core/kafka.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds } from './cpu-share.ts';
import { intFlag, stringFlag, type ParsedArgs } from '../core/args.ts';
import { ValidationError } from '../core/errors.ts';
import { cdcTopics } from '../streams/cdc/topics.ts';
import type { CommandContext } from '../core/command.ts';
import { kafkaBrokers, stackPaths, type StackSettings } from '../stack/settings.ts';
import { waitFor } from '../core/wait-for.ts';
import { FEATURE_MIGRATIONS } from '../consumers/feature-store/feature-migrations.ts';
import { replayFeatures } from '../consumers/feature-store/replay.ts';
import type { ReplayClient } from '../consumers/feature-store/fresh-replay.ts';
import { createScratchDatabase, type TestDatabase } from '../e2e/harness/scratch-database.ts';
import { startScratchCdc, type TestCdc } from '../e2e/harness/scratch-cdc.ts';
import { createCategoryMap } from '../features/category-map.ts';
import { generateToDb } from '../shop/db-generate.ts';
import { createShopDbWriter } from '../shop/db-writer.ts';
import { createShopGenerator } from '../shop/generator/shop-generator.ts';
import { silentLogger } from '../core/logger.ts';
import { requireStack } from './require-stack.ts';
import { peakRssMiB, sampleMemoryPeak } from '../core/process-memory.ts';
import { rawConsumerRate } from './perf-test-reference.ts';
import { kafkajsFloor, librdkafkaFloor, type FloorResult } from './kafkajs-floor.ts';
import { profileWhile } from './inspector-profile.ts';
import { areasOfProfiles, topOfProfiles } from './cpu-profile-top.ts';
import type { Benchmark, Figures } from './benchmark.ts';

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

async function prepare(
  s: StackSettings,
  ctx: CommandContext,
  lines: number,
  shopperCount: number | undefined,
): Promise<{ shop: TestDatabase; cdc: TestCdc; events: number }> {
  const shop = await createScratchDatabase(s, 'bench_shop');
  const shoppers = shopperCount ?? Math.max(10, Math.ceil(lines / LINES_PER_SHOPPER));
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
async function prepareOrReuse(
  s: StackSettings,
  ctx: CommandContext,
  o: { lines: number; shoppers: number | undefined; reuse: string | undefined },
) {
  const { lines, reuse } = o;
  if (!reuse) return prepare(s, ctx, lines, o.shoppers);
  const [prefix, database] = reuse.split('.');
  if (!prefix || !database) throw new ValidationError('--topics takes PREFIX.DATABASE, as in cdc.shop');
  const topics = cdcTopics({ prefix, database });
  const events = await topicCount(s, topics.orderItems.name);
  if (!events) throw new ValidationError(`${topics.orderItems.name} is empty or missing`);
  ctx.out(`reusing the topics ${prefix}.${database}.* (${events.toLocaleString('en')} order lines)`);
  const none = { drop: async () => {} };
  return { shop: none, cdc: { topics, stop: async () => {} }, events };
}

/** Linux: resets VmHWM, so the peak read after the replay is the replay's, not the shop generation's. */
function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux, or not allowed: the peak then covers the whole run.
  }
}

type Stack = StackSettings;
type Topics = TestCdc['topics'];

async function references(s: Stack, topics: Topics, events: number, ctx: CommandContext) {
  const topic = topics.orderItems.name;
  ctx.out(`kafka-consumer-perf-test on ${topic} (${events.toLocaleString('en')} messages)...`);
  const raw = await rawConsumerRate(s, topic, events);
  ctx.out(
    `  ${Math.round(raw.msgsPerSec).toLocaleString('en')} msgs/s (${raw.mbPerSec.toFixed(1)} MB/s), ${raw.cpuSeconds.toFixed(1)} CPU-s`,
  );
  const floors: Record<string, FloorResult> = {};
  for (const parse of [false, true]) {
    const name = parse ? 'kafkajs_parse' : 'kafkajs_bare';
    floors[name] = await kafkajsFloor(kafkaBrokers(s), topic, { parse });
    const f = floors[name];
    ctx.out(
      `${name.replace('_', ' + ').replace('bare', 'nothing else')} on ${topic}: ${Math.round(f.msgsPerSec).toLocaleString('en')} msgs/s, ${f.cpuSeconds.toFixed(1)} CPU-s`,
    );
  }
  return { raw, floors };
}

function replayOnce(s: Stack, topics: Topics, store: TestDatabase, ctx: CommandContext, client: ReplayClient) {
  const cats = createCategoryMap();
  const [prefix, db] = topics.orders.name.split('.') as [string, string];
  return replayFeatures({
    into: 'fresh',
    freshDatabase: store.name,
    client,
    from: { kind: 'beginning' },
    logger: ctx.logger,
    numCategories: cats.model.length,
    modelIndexOf: (n) => cats.modelIndexOfRaw(n),
    config: {
      brokers: kafkaBrokers(s),
      store: store.db,
      cdc: { prefix, database: db },
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
}

/** Where the replay's CPU went, by area, from the profile written into `dir`. */
const PROFILE_AREAS: [string, RegExp][] = [
  ['gc', /^\(garbage collector\)$/],
  ['kafkajs', /node_modules\/kafkajs\//],
  ['mysql2', /node_modules\/mysql2\//],
  ['decode (streams/cdc)', /\/streams\/cdc\//],
  ['features (compute)', /\/features\//],
  ['feature store (state, write)', /\/consumers\/feature-store\//],
  ['node internals', /^node:/],
];

async function printProfile(dir: string, ctx: CommandContext): Promise<Figures> {
  const areas = await areasOfProfiles(dir, PROFILE_AREAS);
  ctx.out(
    `CPU by area (% of busy samples): ${Object.entries(areas)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  for (const e of await topOfProfiles(dir, ctx.root, 15))
    ctx.out(`  ${String(e.selfPct).padStart(5)}%  ${e.name}  ${e.where}`);
  return Object.fromEntries(Object.entries(areas).map(([k, v]) => [`cpu_pct_${k.split(' ')[0]}`, v]));
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

export const replayBench: Benchmark = {
  name: 'replay',
  summary:
    "rebuild the feature store from N order-line events (real Debezium topics) vs Kafka's own consumer on the same topic",
  args: {
    options: {
      events: { type: 'string', value: 'N', default: '1000000' },
      shoppers: {
        type: 'string',
        value: 'N',
        note: 'shoppers in the generated shop (default: as many as the demo shop has per order line)',
      },
      topics: {
        type: 'string',
        value: 'PREFIX.DATABASE',
        note: 'replay CDC topics an earlier run left in Kafka instead of generating a shop',
      },
      client: {
        type: 'string',
        value: 'kafkajs|librdkafka',
        default: 'kafkajs',
        note: "the replay's Kafka client; librdkafka needs @confluentinc/kafka-javascript installed by hand",
      },
      profile: {
        type: 'string',
        value: 'DIR',
        note: 'write a CPU profile of the replay (only) into DIR and print its top',
      },
    },
    note: '(needs `npm run stack -- up`)',
  },
  async run(args: ParsedArgs, ctx: CommandContext): Promise<Figures> {
    const lines = intFlag(args, 'events', { min: 1_000 });
    const s = await requireStack(ctx);
    const shoppers = args.flags.shoppers === undefined ? undefined : intFlag(args, 'shoppers', { min: 10 });
    const { shop, cdc, events } = await prepareOrReuse(s, ctx, { lines, shoppers, reuse: stringFlag(args, 'topics') });
    const store = await createScratchDatabase(s, 'bench_fs', FEATURE_MIGRATIONS);
    try {
      const ref = await references(s, cdc.topics, events, ctx);
      ctx.out('replaying all five CDC topics into a fresh store...');
      const mariadbPid = Number(readFileSync(join(stackPaths(s).run, 'mariadb.pid'), 'utf8').trim());
      resetPeakRss();
      const memory = sampleMemoryPeak();
      const cpu0 = { self: process.cpuUsage(), mariadb: cpuSeconds(mariadbPid) ?? NaN };
      const profileDir = stringFlag(args, 'profile');
      const client = (stringFlag(args, 'client') ?? 'kafkajs') as ReplayClient;
      if (client !== 'kafkajs' && client !== 'librdkafka') throw new ValidationError('--client: kafkajs or librdkafka');
      if (client === 'librdkafka') {
        const f = await librdkafkaFloor(kafkaBrokers(s), cdc.topics.orderItems.name);
        ctx.out(
          `librdkafka + nothing else: ${Math.round(f.msgsPerSec).toLocaleString('en')} msgs/s, ${f.cpuSeconds.toFixed(1)} CPU-s`,
        );
        ref.floors.librdkafka_bare = f;
      }
      const replay = () => replayOnce(s, cdc.topics, store, ctx, client);
      const r = profileDir ? await profileWhile(profileDir, `replay-${Date.now()}`, replay) : await replay();
      process.stderr.write('\n');
      const atPeak = memory.stop();
      const selfCpu = process.cpuUsage(cpu0.self);
      const replayCpuS = (selfCpu.user + selfCpu.system) / 1e6;
      const mariadbCpuS = (cpuSeconds(mariadbPid) ?? NaN) - cpu0.mariadb;
      const rate = r.events / r.seconds;
      const perCpu = (n: number, cpuS: number) => n / Math.max(cpuS, 0.001);
      const replayPerCpu = perCpu(r.events, replayCpuS + mariadbCpuS);
      const { raw, floors } = ref;
      const figures: Figures = {
        order_line_events: events,
        all_events: r.events,
        replay_seconds: r1(r.seconds),
        replay_events_per_sec: Math.round(rate),
        raw_consumer_msgs_per_sec: Math.round(raw.msgsPerSec),
        raw_consumer_mb_per_sec: r1(raw.mbPerSec),
        kafkajs_bare_msgs_per_sec: Math.round(floors.kafkajs_bare!.msgsPerSec),
        kafkajs_parse_msgs_per_sec: Math.round(floors.kafkajs_parse!.msgsPerSec),
        ratio_to_raw: r3(rate / raw.msgsPerSec),
        ratio_to_kafkajs_bare: r3(rate / floors.kafkajs_bare!.msgsPerSec),
        kafkajs_bare_to_raw: r3(floors.kafkajs_bare!.msgsPerSec / raw.msgsPerSec),
        shoppers: r.users,
        rejected: r.rejected,
        peak_rss_mib: await peakRssMiB(),
        // The sample with the highest RSS (every 0.5 s): how much of it is the JS heap, how much typed arrays.
        at_peak_heap_used_mib: atPeak.heapUsedMiB,
        at_peak_heap_total_mib: atPeak.heapTotalMiB,
        at_peak_array_buffers_mib: atPeak.arrayBuffersMiB,
        replay_cpu_s: r1(replayCpuS),
        mariadb_cpu_s: r1(mariadbCpuS),
        raw_consumer_cpu_s: r1(raw.cpuSeconds),
        kafkajs_bare_cpu_s: r1(floors.kafkajs_bare!.cpuSeconds),
        client,
        ...(floors.librdkafka_bare
          ? {
              librdkafka_bare_msgs_per_sec: Math.round(floors.librdkafka_bare.msgsPerSec),
              librdkafka_bare_cpu_s: r1(floors.librdkafka_bare.cpuSeconds),
            }
          : {}),
        // Per CPU-second, so a machine shared with others still compares the two fairly.
        ratio_per_cpu_second: r3(replayPerCpu / perCpu(events, raw.cpuSeconds)),
        kafkajs_bare_to_raw_per_cpu_second: r3(
          perCpu(events, floors.kafkajs_bare!.cpuSeconds) / perCpu(events, raw.cpuSeconds),
        ),
        load_average_1m: r1(loadavg()[0]!),
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
        `ratio replay/raw: ${figures.ratio_to_raw} (target >= 0.5), replay/kafkajs alone ${figures.ratio_to_kafkajs_bare}, ` +
          `kafkajs alone/raw ${figures.kafkajs_bare_to_raw}; peak RSS of the replay ${figures.peak_rss_mib} MiB ` +
          `(at the sampled peak: JS heap ${atPeak.heapUsedMiB}/${atPeak.heapTotalMiB} MiB used/total, typed arrays and buffers ${atPeak.arrayBuffersMiB} MiB); load average ${figures.load_average_1m}`,
      );
      return profileDir ? { ...figures, ...(await printProfile(profileDir, ctx)) } : figures;
    } finally {
      await cdc.stop().catch(() => {});
      await shop.drop();
      await store.drop();
    }
  },
};
