import { randomBytes } from 'node:crypto';
import { booleanFlag, intFlag, type ArgsSpec, type ParsedArgs } from '../../core/args.ts';
import type { Area, CommandContext } from '../../core/command.ts';
import { createKafka } from '../../core/kafka.ts';
import { createProgress } from '../../core/progress.ts';
import { groupLag } from '../../consumers/feature-store/group-lag.ts';
import { loadScoringConfig } from '../../consumers/scoring/config.ts';
import { createControlFollower } from '../../consumers/shared/control-follower.ts';
import { jobEvent, jobMessage } from '../../consumers/shared/job-events.ts';
import { createPool } from '../../prisma/db/pool.ts';
import type { JobName } from '../../streams/control/job-event.ts';
import { recommendationSchema } from '../../streams/recommendations/recommendation.ts';
import { formatRecommendation, formatRun } from './format.ts';

const configOf = (ctx: CommandContext) => loadScoringConfig(ctx.env, ctx.root);
const untilSignal = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });

const TAIL: ArgsSpec = {
  options: {
    user: { type: 'string', value: 'N', note: 'only this shopper' },
    'from-beginning': { type: 'boolean', note: 'every current recommendation first (the topic is compacted)' },
  },
};
const FOLLOW: ArgsSpec = { options: { 'no-follow': { type: 'boolean', note: 'publish the command and return' } } };

async function tail(args: ParsedArgs, ctx: CommandContext) {
  const user = args.flags.user === undefined ? 0 : intFlag(args, 'user', { min: 1 });
  const config = configOf(ctx);
  const kafka = createKafka({ clientId: 'recommendations-tail', brokers: config.brokers });
  const consumer = kafka.consumer({
    groupId: `recommendations-tail-${randomBytes(4).toString('hex')}`,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({
    topics: [config.recommendationsTopic],
    fromBeginning: booleanFlag(args, 'from-beginning'),
  });
  ctx.out(`following ${config.recommendationsTopic}${user ? ` for user ${user}` : ''}; Ctrl-C stops`);
  await consumer.run({
    eachMessage: async ({ message }) => {
      const key = message.key?.toString() ?? '';
      if (user && key !== String(user)) return;
      if (!message.value) return ctx.out(`user ${key}  deleted (tombstone)`);
      const parsed = recommendationSchema.safeParse(JSON.parse(message.value.toString()));
      ctx.out(
        parsed.success
          ? formatRecommendation(parsed.data, Date.now())
          : `user ${key}  (unreadable: ${parsed.error.issues[0]?.message})`,
      );
    },
  });
  await untilSignal();
  await consumer.disconnect();
}

/** Publishes a command run and follows its progress on the control topic until done or failed. */
async function request(job: JobName, args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const config = configOf(ctx);
  const runId = `${job}:command-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const kafka = createKafka({ clientId: `recommendations-${job}`, brokers: config.brokers });
  const follower = createControlFollower({
    kafka,
    topic: config.controlTopic,
    groupPrefix: 'recommendations-cli',
    logger: ctx.logger,
  });
  await follower.start();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await producer.send({
    topic: config.controlTopic,
    acks: -1,
    messages: [jobMessage(jobEvent({ job, runId, status: 'requested', requestedBy: 'command' }))],
  });
  await producer.disconnect();
  ctx.out(`requested ${runId}`);
  if (booleanFlag(args, 'no-follow')) return (await follower.stop(), 0);
  const store = createPool(config.store, { connectionLimit: 1 });
  const [r] = await store.query('SELECT COUNT(*) AS n FROM user_features');
  await store.end();
  const progress = createProgress({ label: job, unit: 'shoppers', total: Number((r as { n: number }[])[0]!.n) });
  const run = await new Promise<NonNullable<ReturnType<typeof follower.ledger.run>>>((resolve) => {
    const timer = setInterval(() => {
      const s = follower.ledger.run(runId);
      if (!s) return;
      progress.update([...s.partitions.values()].reduce((a, p) => a + p.scored, 0));
      if (s.done || s.failed) {
        clearInterval(timer);
        resolve(s);
      }
    }, 200);
  });
  progress.done();
  await follower.stop();
  ctx.out(formatRun(run));
  return run.failed ? 1 : 0;
}

async function status(_args: ParsedArgs, ctx: CommandContext) {
  const config = configOf(ctx);
  const kafka = createKafka({ clientId: 'recommendations-status', brokers: config.brokers });
  const follower = createControlFollower({
    kafka,
    topic: config.controlTopic,
    groupPrefix: 'recommendations-cli',
    logger: ctx.logger,
  });
  await follower.start();
  await follower.caughtUp();
  const runs = follower.ledger
    .runs()
    .sort((a, b) => (b.requestedAt ?? '').localeCompare(a.requestedAt ?? ''))
    .slice(0, 10);
  await follower.stop();
  ctx.out(runs.length ? runs.map(formatRun).join('\n') : 'no runs on the control topic yet');
  const admin = kafka.admin();
  await admin.connect();
  try {
    const lag = await groupLag(admin, config.groupId, [config.featuresTopic]);
    ctx.out(
      `group ${config.groupId} on ${config.featuresTopic}: lag ${lag.total} (${lag.partitions.map((p) => p.lag).join('/')})`,
    );
  } finally {
    await admin.disconnect();
  }
}

export const recommendationsArea: Area = {
  name: 'recommendations',
  summary: 'Recommendations on recommendations.v1: follow them, run a sweep or a rescore, see runs and lag.',
  verbs: {
    tail: {
      summary: 'print recommendations as they arrive, readable',
      args: TAIL,
      run: tail,
    },
    sweep: {
      summary: 'request a sweep (every shopper scored once) and follow it to done',
      args: FOLLOW,
      run: (a, c) => request('daily-sweep', a, c),
    },
    rescore: {
      summary: 'request a rescore of every shopper now (e.g. after a promotion) and follow it',
      args: FOLLOW,
      run: (a, c) => request('rescore', a, c),
    },
    status: { summary: 'the last runs on the control topic and the scoring group lag', run: status },
  },
};
