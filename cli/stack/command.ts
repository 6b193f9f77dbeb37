import { intFlag, stringFlag, type ArgsSpec, type ParsedArgs } from '../../core/args.ts';
import type { Area, CommandContext } from '../../core/command.ts';
import { ValidationError } from '../../core/errors.ts';
import { logFile, runningPid, tailFile } from '../../stack/processes.ts';
import { binlogBaseName, mariadbProcess, newBinlogGeneration } from '../../stack/mariadb.ts';
import { connectUrl, kafkaBrokers, settingsFromConfig } from '../../stack/settings.ts';
import { createConnectClient, loadConnector } from '../../connect/connector.ts';
import { resnapshot } from '../../connect/resnapshot.ts';
import { recordedBrokers } from '../../stack/kafka.ts';
import { ensureJars } from '../../stack/jars.ts';
import {
  appsStatus,
  COMPONENTS,
  processesOf,
  stackDown,
  stackReset,
  stackStatus,
  stackUp,
  type Component,
} from '../../stack/stack.ts';
import { spawn } from 'node:child_process';
import type { AppName } from '../../core/config/app-ports.ts';
import { APPS, appUrl, startApps } from '../../stack/apps.ts';

/** The stack's settings, with as many Kafka nodes as asked (up) or as its storage was formatted for. */
function settings(ctx: CommandContext, brokers?: number) {
  const base = settingsFromConfig(ctx.config, ctx.root);
  return { ...base, kafka: { ...base.kafka, brokers: brokers ?? recordedBrokers(base) ?? 1 } };
}

const UP: ArgsSpec = {
  options: {
    brokers: {
      type: 'string',
      value: 'N',
      note: 'Kafka nodes (KRaft, each broker+controller): 1, or 3 for replication factor 3 and min.insync.replicas 2',
    },
  },
};

async function up(args: ParsedArgs, ctx: CommandContext) {
  const t0 = Date.now();
  const brokers = args.flags.brokers === undefined ? undefined : intFlag(args, 'brokers', { min: 1 });
  if (brokers !== undefined && brokers > 9) throw new ValidationError('--brokers: at most 9 nodes on one host');
  await stackUp(settings(ctx, brokers), ctx.logger, {
    registerShopConnector: true,
    onStep: (step, ms) => ctx.out(`  ${step.padEnd(20)} ready in ${(ms / 1000).toFixed(1)} s`),
  });
  ctx.out(`stack up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await status({ positionals: [], flags: {} }, ctx);
}

async function status(_args: ParsedArgs, ctx: CommandContext) {
  const rows = await stackStatus(settings(ctx));
  for (const r of rows) {
    const state = r.pid ? (r.healthy ? 'healthy' : 'UNHEALTHY') : 'stopped';
    const mem = r.rssMiB !== undefined ? `${r.rssMiB} MiB` : '';
    ctx.out(
      `${r.component.padEnd(8)} ${state.padEnd(9)} ${String(r.pid ?? '').padEnd(8)} ${mem.padEnd(9)} ${r.detail ?? ''}`,
    );
  }
  for (const a of await appsStatus(settings(ctx), ctx.env)) {
    if (!a.pid) {
      ctx.out(`${a.app.padEnd(8)} stopped`);
      continue;
    }
    ctx.out(
      `${a.app.padEnd(8)} ${(a.healthy ? 'healthy' : 'UNHEALTHY').padEnd(9)} ${String(a.pid).padEnd(8)} ${`${a.rssMiB} MiB`.padEnd(9)} ${a.detail}`,
    );
  }
  return rows.every((r) => r.healthy) ? 0 : 3;
}

const LOGS: ArgsSpec = {
  positionals: ['[mariadb|kafka|connect]'],
  options: {
    lines: { type: 'string', short: 'n', value: 'N', default: '40' },
    follow: { type: 'boolean', short: 'f' },
    component: { type: 'string', value: 'NAME' },
  },
};

async function logs(args: ParsedArgs, ctx: CommandContext) {
  const lines = intFlag(args, 'lines', { min: 1 });
  const wanted = (args.positionals[0] ?? stringFlag(args, 'component')) as Component | undefined;
  if (wanted && !COMPONENTS.includes(wanted))
    throw new ValidationError(`component must be one of ${COMPONENTS.join(', ')}`);
  const s = settings(ctx);
  const list = wanted ? [wanted] : COMPONENTS;
  if (args.flags.follow) {
    const files = list.flatMap((c) => processesOf(s, c).map(logFile));
    await new Promise<void>((resolve) =>
      spawn('tail', ['-n', String(lines), '-F', ...files], { stdio: 'inherit' }).on('exit', () => resolve()),
    );
    return;
  }
  for (const p of list.flatMap((c) => processesOf(s, c))) {
    ctx.out(`==> ${p.name}: ${logFile(p)}`);
    ctx.out(tailFile(logFile(p), lines));
  }
}

async function startAppsVerb(args: ParsedArgs, ctx: CommandContext) {
  const known = APPS.map((a) => a.name);
  const names = args.positionals;
  const bad = names.filter((n) => !known.includes(n as AppName));
  if (bad.length) throw new ValidationError(`unknown app ${bad.join(', ')}: one of ${known.join(', ')}`);
  const wanted = names.length ? (names as AppName[]) : known;
  const s = settings(ctx);
  // Every node as a bootstrap address, so an app restarted while node 1 is down still finds the cluster.
  const env = ctx.env.KAFKA_BROKERS ? ctx.env : { ...ctx.env, KAFKA_BROKERS: kafkaBrokers(s).join(',') };
  await startApps(s, env, wanted, (app, pid) =>
    ctx.out(`  ${app.padEnd(12)} running (pid ${pid}) ${appUrl(app, ctx.env)}`),
  );
}

export const stackArea: Area = {
  name: 'stack',
  summary: 'The local stack: MariaDB (binlog ROW) -> Kafka (KRaft) -> Kafka Connect + Debezium, as plain processes.',
  verbs: {
    up: {
      summary: 'start what is not running (fetching jars on first run), wait until healthy, register shop-cdc',
      args: UP,
      run: up,
    },
    down: {
      summary: 'stop the processes this stack started (by pid)',
      run: async (_a, ctx) => stackDown(settings(ctx), ctx.logger),
    },
    status: {
      summary: 'each component: pid, health, resident memory, connector state (exit 3 if not all healthy)',
      run: status,
    },
    logs: { summary: 'tail the component logs', args: LOGS, run: logs },
    'fetch-jars': {
      summary: 'fetch the Kafka, Connect and Debezium jars with mvn into the cache (up does this too)',
      run: async (_a, ctx) => {
        const s = settings(ctx);
        const how = await ensureJars(s, ctx.logger);
        ctx.out(`jars ${how}: ${s.jarsDir}`);
      },
    },
    'start-apps': {
      summary: "start the project's own processes in the background (all in stack/apps.ts, or the named ones)",
      args: { positionals: ['[app...]'] },
      run: startAppsVerb,
    },
    'new-epoch': {
      summary:
        'start a new source epoch (binlog generation) at the next MariaDB start: after restoring a backup or before a binlog reset; then re-snapshot shop-cdc',
      run: async (_a, ctx) => {
        const s = settings(ctx);
        if (runningPid(mariadbProcess(s))) throw new ValidationError('stop MariaDB first: npm run stack -- down');
        const g = newBinlogGeneration(s);
        ctx.out(`source epoch ${g}: MariaDB writes ${binlogBaseName(g)}.* from its next start`);
      },
    },
    resnapshot: {
      summary:
        'stop a connector (default shop-cdc), forget its offsets and resume it: a new snapshot (after a new epoch, or when the binlog behind its offsets was purged)',
      args: { positionals: ['[connector]'] },
      run: async (a, ctx) => {
        const s = settings(ctx);
        const name = a.positionals[0] ?? loadConnector(s.root).name;
        await resnapshot(createConnectClient({ url: connectUrl(s) }), name);
        ctx.out(`${name}: offsets reset and resumed; it takes a new snapshot now (npm run stack -- status)`);
      },
    },
    reset: {
      summary: 'stop the stack and delete its data and logs (the jar cache stays)',
      run: async (_a, ctx) => {
        await stackReset(settings(ctx), ctx.logger);
        ctx.out(`removed ${settings(ctx).dir}`);
      },
    },
  },
};
