import { createKafka } from '../../core/kafka.ts';
import { booleanFlag, stringFlag, type ArgsSpec, type ParsedArgs } from '../../core/args.ts';
import type { Area, CommandContext } from '../../core/command.ts';
import { loadFeatureConsumerConfig } from '../../consumers/feature-store/config.ts';
import { featuresAt } from '../../consumers/feature-store/features-at.ts';
import { groupLag } from '../../consumers/feature-store/group-lag.ts';
import { startFeatureConsumer } from '../../consumers/feature-store/app.ts';
import { replayFeatures } from '../../consumers/feature-store/replay.ts';
import { createProgress, fmt } from '../../core/progress.ts';
import { loadCategoryMap } from '../../features/category-map.ts';
import { createPool } from '../../prisma/db/pool.ts';
import { cdcTopics } from '../../streams/cdc/topics.ts';
import { ValidationError } from '../../core/errors.ts';
import { appProcess, startApp, stopApp } from '../../stack/apps.ts';
import { logFile } from '../../stack/processes.ts';
import { settingsFromConfig } from '../../stack/settings.ts';

const consumerConfig = (ctx: CommandContext) => loadFeatureConsumerConfig(ctx.env);

function parseTime(raw: string | undefined, what: string): Date {
  if (!raw) throw new ValidationError(`${what} is required (ISO date/time or epoch ms)`);
  const d = /^\d+$/.test(raw) ? new Date(Number(raw)) : new Date(raw);
  if (Number.isNaN(d.getTime())) throw new ValidationError(`${what}: not a time: ${raw}`);
  return d;
}

async function run(_args: ParsedArgs, ctx: CommandContext) {
  const config = consumerConfig(ctx);
  const running = await startFeatureConsumer(config, ctx.logger);
  ctx.out(
    `feature consumer running (group ${config.groupId}); metrics on http://127.0.0.1:${running.metricsPort ?? '-'}/metrics; Ctrl-C stops`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.stop();
}

const REPLAY: ArgsSpec = {
  options: {
    'from-beginning': { type: 'boolean' },
    'from-time': { type: 'string', value: 'T', note: 'not with --from-beginning' },
    into: { type: 'string', value: 'fresh|in-place', default: 'fresh' },
    database: { type: 'string', value: 'NAME' },
    client: {
      type: 'string',
      value: 'kafkajs|librdkafka',
      default: 'kafkajs',
      note: '--into fresh: librdkafka needs @confluentinc/kafka-javascript installed by hand',
    },
  },
};

async function replay(args: ParsedArgs, ctx: CommandContext) {
  const config = consumerConfig(ctx);
  const fromTime = stringFlag(args, 'from-time');
  if (fromTime && booleanFlag(args, 'from-beginning'))
    throw new ValidationError('use --from-beginning or --from-time, not both');
  const into = stringFlag(args, 'into') ?? 'fresh';
  if (into !== 'fresh' && into !== 'in-place') throw new ValidationError('--into must be fresh or in-place');
  const client = stringFlag(args, 'client') ?? 'kafkajs';
  if (client !== 'kafkajs' && client !== 'librdkafka')
    throw new ValidationError('--client must be kafkajs or librdkafka');
  const cats = await loadCategoryMap(config.categoryMapFile);
  const progress = createProgress({ label: 'replay', unit: 'events' });
  const result = await replayFeatures({
    config,
    into,
    logger: ctx.logger,
    from: fromTime ? { kind: 'time', at: parseTime(fromTime, '--from-time') } : { kind: 'beginning' },
    freshDatabase: stringFlag(args, 'database'),
    client,
    numCategories: cats.model.length,
    modelIndexOf: (n) => cats.modelIndexOfRaw(n),
    onProgress: (p) => progress.update(p.done, `lag ${fmt(p.lag)}  rejected ${fmt(p.rejected)}`, p.total),
  });
  progress.done();
  ctx.out(
    `replayed ${result.events.toLocaleString('en')} events in ${result.seconds.toFixed(1)} s ` +
      `(${Math.round(result.events / Math.max(result.seconds, 0.001)).toLocaleString('en')} events/s): ${result.applied} applied, ` +
      `${result.rejected} rejected, ${result.users} shoppers, ${result.pendingLeft} still waiting for a reference`,
  );
  ctx.out(`store: ${result.store.database}`);
}

async function at(args: ParsedArgs, ctx: CommandContext) {
  const [user, time] = args.positionals;
  const userId = Number(user);
  if (!Number.isInteger(userId) || userId <= 0) throw new ValidationError('usage: features at USER_ID TIME');
  const config = consumerConfig(ctx);
  const cats = await loadCategoryMap(config.categoryMapFile);
  const pool = createPool(config.store, { connectionLimit: 1 });
  try {
    ctx.out(JSON.stringify(await featuresAt(pool, userId, parseTime(time, 'TIME'), cats.model.length), null, 2));
  } finally {
    await pool.end();
  }
}

async function status(_args: ParsedArgs, ctx: CommandContext) {
  const config = consumerConfig(ctx);
  const kafka = createKafka({ clientId: 'features-status', brokers: config.brokers });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const lag = await groupLag(
      admin,
      config.groupId,
      Object.values(cdcTopics(config.cdc)).map((t) => t.name),
    );
    for (const topic of new Set(lag.partitions.map((p) => p.topic))) {
      const parts = lag.partitions.filter((p) => p.topic === topic);
      ctx.out(`${topic.padEnd(40)} lag ${parts.reduce((a, p) => a + p.lag, 0)} (${parts.map((p) => p.lag).join('/')})`);
    }
  } finally {
    await admin.disconnect();
  }
  const pool = createPool(config.store, { connectionLimit: 1 });
  try {
    const [r] =
      await pool.query(`SELECT (SELECT COUNT(*) FROM user_features) AS features, (SELECT COUNT(*) FROM fs_orders) AS orders,
      (SELECT COUNT(*) FROM fs_pending) AS pending, (SELECT COUNT(*) FROM fs_recompute) AS queued`);
    const s = (r as Record<string, number>[])[0]!;
    ctx.out(
      `store ${config.store.database}: ${s.features} shoppers with features, ${s.orders} orders, ${s.pending} pending, ${s.queued} queued for recompute`,
    );
  } finally {
    await pool.end();
  }
}

async function start(_args: ParsedArgs, ctx: CommandContext) {
  const s = settingsFromConfig(ctx.config, ctx.root);
  const pid = await startApp(s, 'features', ctx.env);
  ctx.out(`feature consumer running in the background (pid ${pid}); log: ${logFile(appProcess(s, 'features'))}`);
}

async function stop(_args: ParsedArgs, ctx: CommandContext) {
  const was = await stopApp(settingsFromConfig(ctx.config, ctx.root), 'features');
  ctx.out(was ? 'feature consumer stopped' : 'feature consumer was not running');
}

export const featuresArea: Area = {
  name: 'features',
  summary: 'The feature store, kept current from the CDC topics (features.user.v1 downstream).',
  verbs: {
    run: {
      summary: 'run the feature consumer in the foreground (one instance of group "features"; start more to scale out)',
      run,
    },
    start: {
      summary:
        'start the feature consumer in the background (as `npm start` does); its pid and log live with the stack',
      run: start,
    },
    stop: { summary: 'stop the background feature consumer', run: stop },
    replay: {
      summary: 'rebuild the feature store from the topics, with a progress bar',
      args: REPLAY,
      run: replay,
    },
    at: {
      summary: "a shopper's features at a time (event time), as JSON",
      args: { positionals: ['USER_ID', 'TIME'] },
      run: at,
    },
    status: { summary: 'consumer lag per topic and what the store holds', run: status },
  },
};
