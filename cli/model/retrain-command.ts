import { randomUUID } from 'node:crypto';
import type { CommandContext, Verb } from '../../core/command.ts';
import { booleanFlag, intFlag, stringFlag, type ParsedArgs } from '../../core/args.ts';
import { createKafka } from '../../core/kafka.ts';
import { tailTopic, type Tail } from '../../core/topic-tail.ts';
import { formatDifference } from '../../model/evaluate/compare.ts';
import { jobEventSchema, jobsTopic, type JobEvent } from '../../streams/control/job-event.ts';
import { modelEventSchema, modelsTopic, type ModelEvent } from '../../streams/models/model-event.ts';
import { createJobPublisher, jobEvent } from '../../consumers/trainer/job-publisher.ts';

const parse = <T>(schema: { safeParse(v: unknown): { success: boolean; data?: T } }, raw: Buffer | null) => {
  if (!raw) return null;
  try {
    return schema.safeParse(JSON.parse(raw.toString('utf8'))).data ?? null;
  } catch {
    return null;
  }
};

function describeJob(e: JobEvent): string {
  if (e.status === 'started') return `started on ${e.worker}`;
  if (e.status === 'progress') return `progress: ${e.reason ?? JSON.stringify(e.counts)}`;
  const took = e.durationMs === null ? '' : ` in ${(e.durationMs / 1000).toFixed(1)} s`;
  return `${e.status}${took}: ${e.reason ?? ''}`;
}

function describeDecision(m: ModelEvent): string[] {
  const head = m.differences.filter((d) => d.versus === `champion ${m.comparedWith}`);
  return [
    `decision: ${m.version} ${m.event} (${m.status}) — ${m.reason}`,
    ...head.map(
      (d) => `  vs ${d.versus}: ${formatDifference({ metric: d.metric, diff: d.mean, lo: d.low, hi: d.high })}`,
    ),
    `  data ${m.dataFrom?.slice(0, 10)}..${m.dataTo?.slice(0, 10)}, held-out ${m.testFrom?.slice(0, 10)}..${m.testTo?.slice(0, 10)}, backend ${m.backend}`,
  ];
}

/** Follows one run on the control topic until it is done or failed; then prints its decision from models.v1. */
async function follow(
  ctx: CommandContext,
  deps: { kafka: ReturnType<typeof createKafka>; control: string; models: string; runId: string; timeoutMs: number },
) {
  const tails: Tail[] = [];
  try {
    const finished = new Promise<JobEvent>((resolve) => {
      void tailTopic({
        kafka: deps.kafka,
        topic: deps.control,
        groupPrefix: 'model-cli',
        fromBeginning: true,
        onMessage: (m) => {
          const e = parse<JobEvent>(jobEventSchema, m.value);
          if (!e || e.runId !== deps.runId || e.status === 'requested') return;
          ctx.out(`${deps.runId}: ${describeJob(e)}`);
          if (e.status === 'done' || e.status === 'failed') resolve(e);
        },
      }).then((t) => tails.push(t));
    });
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), deps.timeoutMs).unref());
    const end = await Promise.race([finished, timeout]);
    if (!end) {
      ctx.out(`no result within ${deps.timeoutMs / 1000} s: is a trainer running? (npm run model -- trainer start)`);
      return 1;
    }
    if (end.status === 'failed') return 1;
    const decision = new Promise<ModelEvent>((resolve) => {
      void tailTopic({
        kafka: deps.kafka,
        topic: deps.models,
        groupPrefix: 'model-cli',
        fromBeginning: true,
        onMessage: (m) => {
          const e = parse<ModelEvent>(modelEventSchema, m.value);
          if (e?.runId === deps.runId && (e.event === 'promoted' || e.event === 'rejected')) resolve(e);
        },
      }).then((t) => tails.push(t));
    });
    for (const line of describeDecision(await decision)) ctx.out(line);
    return 0;
  } finally {
    await Promise.all(tails.map((t) => t.stop()));
  }
}

async function retrain(args: ParsedArgs, ctx: CommandContext) {
  const runId = stringFlag(args, 'run-id') ?? `retrain:manual-${randomUUID()}`;
  const control = stringFlag(args, 'control-topic') ?? jobsTopic.name;
  const models = stringFlag(args, 'models-topic') ?? modelsTopic.name;
  const kafka = createKafka({ clientId: 'model-cli', brokers: ctx.config.kafka.brokers, retries: 3 });
  const jobs = createJobPublisher({ kafka, topic: control });
  try {
    await jobs.publish(jobEvent({ job: 'retrain', runId, status: 'requested', requestedBy: 'command' }));
  } finally {
    await jobs.close();
  }
  ctx.out(`requested ${runId} on ${control}`);
  if (booleanFlag(args, 'no-follow')) return 0;
  const timeoutMs = intFlag(args, 'timeout-s', { min: 1 }) * 1000;
  return follow(ctx, { kafka, control, models, runId, timeoutMs });
}

export const retrainVerb: Verb = {
  summary:
    'ask the trainer for a retrain on control.jobs.v1 and follow it: progress, then the gate decision from models.v1',
  args: {
    options: {
      'run-id': { type: 'string', value: 'ID', note: 'default retrain:manual-<uuid>' },
      'no-follow': { type: 'boolean', note: 'publish the request and exit' },
      'timeout-s': { type: 'string', value: 'S', default: '3600' },
      'control-topic': { type: 'string', value: 'T', note: 'default control.jobs.v1' },
      'models-topic': { type: 'string', value: 'T', note: 'default models.v1' },
    },
  },
  run: retrain,
};
