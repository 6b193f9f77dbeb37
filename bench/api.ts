import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { intFlag, stringFlag, type ParsedArgs } from '../core/args.ts';
import type { CommandContext } from '../core/command.ts';
import type { DbConfig } from '../core/config/db-config.ts';
import { createScratchDatabase } from '../e2e/harness/scratch-database.ts';
import { appDef } from '../stack/apps.ts';
import { kafkaBrokers, type StackSettings } from '../stack/settings.ts';
import { quantile, type Benchmark, type Figures } from './benchmark.ts';
import { benchShop } from './api-shop.ts';
import { freePort, residentMemory, startServerProcess, type ServerProcess } from './api-processes.ts';
import { load, type Generator, type Load } from './api-load.ts';
import { hasWrk } from './api-wrk.ts';
import { topOfProfiles } from './cpu-profile-top.ts';
import { requireStack } from './require-stack.ts';

/** The API as its own process on the scratch shop and scratch topics; `view` picks the hot-read path. */
function startApiProcess(
  root: string,
  s: StackSettings,
  db: DbConfig,
  view: boolean,
  port: number,
  nodeArgs: string[],
) {
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const url = `mysql://${encodeURIComponent(db.user)}:${encodeURIComponent(db.password)}@${db.host}:${db.port}/${db.database}`;
  return startServerProcess({
    root,
    entry: 'api/main.ts',
    port,
    nodeArgs,
    readyPath: '/health',
    env: {
      DATABASE_URL: url,
      KAFKA_BROKERS: kafkaBrokers(s).join(','),
      API_PORT: String(port),
      API_HOST: '127.0.0.1',
      OPS_TOKEN: randomBytes(18).toString('base64url'),
      API_HOME_VIEW: String(view),
      RECOMMENDATIONS_TOPIC: `${prefix}.recommendations.v1`,
      SHADOW_RECOMMENDATIONS_TOPIC: `${prefix}.recommendations.shadow.v1`,
      STOREFRONT_EVENTS_TOPIC: `${prefix}.storefront.events.v1`,
      CONTROL_TOPIC: `${prefix}.control.jobs.v1`,
      LOG_LEVEL: 'error',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    },
  });
}

const median = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
const r2 = (x: number) => Math.round(x * 100) / 100;

interface Target {
  name: string;
  url: string;
  paths: readonly string[];
  pid: number;
}

/** Saturation rounds, interleaved so a busy machine slows every target alike; the ratio is per round. */
async function saturate(
  targets: Target[],
  o: { connections: number; seconds: number; rounds: number; generator: Generator },
  ctx: CommandContext,
) {
  const run = (t: Target, seconds: number) =>
    load({ url: t.url, paths: t.paths, connections: o.connections, seconds, pid: t.pid, generator: o.generator });
  for (const t of targets) await run(t, 2);
  const results: Record<string, Load[]> = Object.fromEntries(targets.map((t) => [t.name, []]));
  for (let round = 0; round < o.rounds; round++) {
    for (const t of targets) results[t.name]!.push(await run(t, o.seconds));
  }
  const figures: Figures = {};
  for (const t of targets) {
    const rs = results[t.name]!;
    const ratio = t.name === 'bare' ? 1 : median(rs.map((x, i) => x.rps / results.bare![i]!.rps));
    Object.assign(figures, {
      [`${t.name}_rps`]: Math.round(median(rs.map((x) => x.rps))),
      [`${t.name}_cpu_us_per_req`]: Math.round(median(rs.map((x) => x.cpuUs))),
      [`${t.name}_p50_ms`]: median(rs.map((x) => x.p50)),
      [`${t.name}_p99_ms`]: median(rs.map((x) => x.p99)),
      [`${t.name}_failed`]: rs.reduce((a, x) => a + x.failed, 0),
      ...(t.name === 'bare' ? {} : { [`${t.name}_ratio`]: r2(ratio) }),
    });
    const line = `${t.name.padEnd(10)} ${String(figures[`${t.name}_rps`]).padStart(6)} req/s   p50 ${figures[`${t.name}_p50_ms`]} ms   p99 ${figures[`${t.name}_p99_ms`]} ms   ${figures[`${t.name}_cpu_us_per_req`]} µs CPU/req`;
    ctx.out(t.name === 'bare' ? line : `${line}   ${r2(ratio)}x bare`);
  }
  return figures;
}

/** Latency at a fixed, moderate request rate over the same connections: no queue of our own making. */
async function atRate(
  targets: Target[],
  o: { connections: number; seconds: number; rate: number },
  ctx: CommandContext,
) {
  const figures: Figures = { fixed_rate: o.rate };
  ctx.out(`at a fixed ${o.rate} req/s over ${o.connections} connections:`);
  for (const t of targets) {
    const r = await load({
      url: t.url,
      paths: t.paths,
      connections: o.connections,
      seconds: o.seconds,
      pid: t.pid,
      generator: 'autocannon',
      rate: o.rate,
    });
    Object.assign(figures, {
      [`${t.name}_at_rate_p50_ms`]: r.p50,
      [`${t.name}_at_rate_p99_ms`]: r.p99,
      [`${t.name}_at_rate_failed`]: r.failed,
    });
    ctx.out(`${t.name.padEnd(10)} ${String(Math.round(r.rps)).padStart(6)} req/s   p50 ${r.p50} ms   p99 ${r.p99} ms`);
  }
  return figures;
}

async function reportProfiles(dir: string, ctx: CommandContext): Promise<void> {
  for (const name of ['view', 'bare']) {
    ctx.out(`CPU profile of ${name} (self time, share of busy samples), from ${join(dir, name)}:`);
    for (const e of await topOfProfiles(join(dir, name), ctx.root, 15))
      ctx.out(`  ${String(e.selfPct).padStart(5)}%  ${e.name}  ${e.where}`);
  }
}

export const apiBench: Benchmark = {
  name: 'api',
  summary:
    'GET /recommendations/home at 50 connections next to a bare Hono endpoint: req/s, p50/p99, ratio, API memory',
  args: {
    options: {
      duration: { type: 'string', value: 'S', default: '5', note: 'seconds per target and round' },
      rounds: { type: 'string', value: 'N', default: '5', note: 'figures are the median over rounds' },
      connections: { type: 'string', value: 'N', default: '50' },
      shoppers: { type: 'string', value: 'N', default: '1468' },
      rate: {
        type: 'string',
        value: 'N',
        default: '0',
        note: 'also measure latency at N req/s (autocannon: its pacing sends bursts that dominate p99; 0: skip)',
      },
      profile: {
        type: 'string',
        value: 'DIR',
        note: 'run the view API and the bare server under node --cpu-prof into DIR',
      },
    },
    note: '(needs `npm run stack -- up`)',
  },
  async run(args: ParsedArgs, ctx: CommandContext): Promise<Figures> {
    const seconds = intFlag(args, 'duration', { min: 1 });
    const rounds = intFlag(args, 'rounds', { min: 1 });
    const connections = intFlag(args, 'connections', { min: 1 });
    const shoppers = intFlag(args, 'shoppers', { min: 10 });
    const rate = intFlag(args, 'rate', { min: 0 });
    const profileDir = stringFlag(args, 'profile');
    // The API runs with the flags `npm start` gives it, and the bare server with the same: one runtime.
    const runtime = appDef('api').nodeArgs ?? [];
    const prof = (name: string) => [
      ...runtime,
      ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', resolve(profileDir, name)] : []),
    ];
    const s = await requireStack(ctx);
    const shop = await createScratchDatabase(s, 'bench_api');
    const running: ServerProcess[] = [];
    try {
      const users = await benchShop(shop.pool, shoppers);
      const homes = users.map((u) => `/recommendations/home?user_id=${u}`);
      const view = await startApiProcess(ctx.root, s, shop.db, true, await freePort(), prof('view'));
      running.push(view);
      const sample = await (await fetch(`${view.url}${homes[0]}`)).text();
      const barePort = await freePort();
      const bare = await startServerProcess({
        root: ctx.root,
        entry: 'bench/bare-hono-server.ts',
        env: { BARE_PORT: String(barePort), BARE_BODY: sample },
        port: barePort,
        readyPath: '/',
        nodeArgs: prof('bare'),
      });
      running.push(bare);
      const db = await startApiProcess(ctx.root, s, shop.db, false, await freePort(), runtime);
      running.push(db);
      const targets: Target[] = [
        { name: 'bare', url: bare.url, paths: ['/'], pid: bare.pid },
        { name: 'home_view', url: view.url, paths: homes, pid: view.pid },
        { name: 'home_db', url: db.url, paths: homes, pid: db.pid },
      ];
      ctx.out(`${users.length} shoppers, each with a materialized recommendation; ${connections} connections`);
      ctx.out(`the bare endpoint answers a fixed ${sample.length}-byte body, the size of a /home answer`);
      ctx.out(`${rounds} rounds of ${seconds} s per target, interleaved, so a busy machine slows all three alike`);
      // The load generator and everyone else on the machine share its cores: the figures mean little without this.
      const load1 = () => Math.round(loadavg()[0]! * 10) / 10;
      const figures: Figures = { connections, seconds, rounds, shoppers: users.length, cores: cpus().length };
      figures.load_avg_start = load1();
      ctx.out(`load average (1 min) ${figures.load_avg_start} on ${figures.cores} cores`);
      const generator: Generator = hasWrk() ? 'wrk' : 'autocannon';
      figures.load_generator = generator;
      ctx.out(
        generator === 'wrk'
          ? 'load generator: wrk, one thread'
          : 'load generator: autocannon (wrk not found: `bash .ci/install` or `apt-get install wrk`); autocannon is Node and takes a core from the servers it measures, so p99 is higher',
      );
      Object.assign(figures, await saturate(targets, { connections, seconds, rounds, generator }, ctx));
      if (rate) Object.assign(figures, await atRate(targets.slice(0, 2), { connections, seconds, rate }, ctx));
      for (const [name, p] of [
        ['view', view],
        ['db', db],
      ] as const) {
        const mem = await residentMemory(p.pid);
        figures[`api_${name}_rss_mib`] = mem.rssMiB;
        figures[`api_${name}_peak_rss_mib`] = mem.peakMiB;
        ctx.out(`API (${name}) resident ${mem.rssMiB} MiB, peak ${mem.peakMiB} MiB`);
      }
      // A feed that is not live sends every view read to the database: then the view figures are the db's.
      const health = (await (await fetch(`${view.url}/health`)).json()) as {
        dependencies?: Record<string, { ok: boolean }>;
      };
      figures.view_feed_live_at_end = health.dependencies?.['recommendation-feed']?.ok ?? null;
      ctx.out(`view API's recommendation feed live at the end: ${figures.view_feed_live_at_end}`);
      figures.load_avg_end = load1();
      ctx.out(`load average (1 min) at the end ${figures.load_avg_end}`);
      figures.targets_met = (figures.home_view_ratio as number) >= 0.5 && (figures.home_view_p99_ms as number) <= 5;
      figures.p99_met_at_rate = rate ? (figures.home_view_at_rate_p99_ms as number) <= 5 : null;
      await Promise.all(running.splice(0).map((p) => p.stop()));
      if (profileDir) await reportProfiles(profileDir, ctx);
      return figures;
    } finally {
      await Promise.all(running.map((p) => p.stop()));
      await shop.drop();
    }
  },
};
