import { join } from 'node:path';
import type { CommandContext, Verb } from '../../core/command.ts';
import { booleanFlag, stringFlag, type ParsedArgs } from '../../core/args.ts';
import { ValidationError } from '../../core/errors.ts';
import { createKafka } from '../../core/kafka.ts';
import { tailTopic } from '../../core/topic-tail.ts';
import { modelEventSchema, modelsTopic, type ModelEvent } from '../../streams/models/model-event.ts';
import { readMeta } from '../../model/registry/artifact.ts';
import { statusEvent } from '../../model/registry/model-events.ts';
import { createRegistry } from '../../model/registry/registry.ts';
import { createShadowState } from '../../model/registry/shadow.ts';
import { publishModelEvents } from './publish.ts';

/** The version in shadow now, folded from models.v1 read to its end. */
async function currentShadow(ctx: CommandContext, topic: string): Promise<string | null> {
  const kafka = createKafka({ clientId: 'model-cli', brokers: ctx.config.kafka.brokers, retries: 3 });
  const admin = kafka.admin();
  await admin.connect();
  const exists = (await admin.listTopics()).includes(topic);
  await admin.disconnect();
  if (!exists) return null;
  const state = createShadowState();
  const tail = await tailTopic({
    kafka,
    topic,
    groupPrefix: 'model-cli',
    fromBeginning: true,
    onMessage: (m) => {
      const parsed = m.value ? modelEventSchema.safeParse(JSON.parse(m.value.toString('utf8'))) : null;
      if (parsed?.success) state.apply(parsed.data);
    },
  });
  await tail.caughtUp;
  await tail.stop();
  return state.current();
}

async function shadow(args: ParsedArgs, ctx: CommandContext) {
  const topic = stringFlag(args, 'models-topic') ?? modelsTopic.name;
  const registry = createRegistry({ dir: stringFlag(args, 'models-dir') ?? join(ctx.root, '.models') });
  const version = args.positionals[0];
  const current = await currentShadow(ctx, topic);
  const champion = (await registry.champion())?.version ?? null;
  const events: ModelEvent[] = [];
  const at = new Date();
  const stop = async (v: string, reason: string) =>
    statusEvent(await readMeta(registry.pathOf(v)), {
      event: 'shadow-stopped',
      status: 'candidate',
      reason,
      comparedWith: champion,
      decidedBy: 'command',
      at,
    });
  if (booleanFlag(args, 'stop')) {
    if (!current) return (ctx.out('no model is in shadow'), 0);
    events.push(await stop(current, 'shadow stopped by hand'));
  } else {
    if (!version) throw new ValidationError('usage: npm run model -- shadow V | --stop');
    if (version === champion) throw new ValidationError(`${version} is the champion; shadow a candidate`);
    if (current === version) return (ctx.out(`${version} is already in shadow`), 0);
    if (current) events.push(await stop(current, `shadow replaced by ${version}`));
    events.push(
      statusEvent(await readMeta(registry.pathOf(version)), {
        event: 'shadow-started',
        status: 'shadow',
        reason: `scores beside champion ${champion} into recommendations.shadow.v1, by hand`,
        comparedWith: champion,
        decidedBy: 'command',
        at,
      }),
    );
  }
  await publishModelEvents({ ...args, flags: { ...args.flags, 'models-topic': topic } }, ctx, events);
  return 0;
}

export const shadowVerb: Verb = {
  summary:
    'put a candidate into shadow mode beside the champion (scorers also write recommendations.shadow.v1), or stop it',
  args: {
    positionals: ['[V]'],
    options: {
      stop: { type: 'boolean', note: 'stop the shadow instead' },
      'models-dir': { type: 'string', value: 'DIR', note: 'default .models/' },
      'models-topic': { type: 'string', value: 'T', note: 'default models.v1' },
    },
  },
  run: shadow,
};
