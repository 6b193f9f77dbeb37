import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, uniqueName, type TestDatabase } from '../../e2e/harness/test-database.ts';
import { readTopics, type TopicReader } from '../../e2e/harness/topic-reader.ts';
import { parseArgs } from '../../core/args.ts';
import { loadConfig } from '../../core/config/app-config.ts';
import type { CommandContext, Verb } from '../../core/command.ts';
import { createKafka } from '../../core/kafka.ts';
import { silentLogger } from '../../core/logger.ts';
import { kafkaBrokers } from '../../stack/settings.ts';
import { ensureTopics } from '../../streams/ensure-topics.ts';
import { CHAMPION_KEY, modelEventSchema, type ModelEvent } from '../../streams/models/model-event.ts';
import type { ArtifactMeta } from '../../model/registry/artifact.ts';
import { createRegistry, type Registry } from '../../model/registry/registry.ts';
import { modelArea } from './command.ts';

const brokers = kafkaBrokers(inject('stack'));
let db: TestDatabase;
let dir: string;
let topic: string;
let reader: TopicReader;
let registry: Registry;
let ctx: CommandContext;

const events = () =>
  reader.messages
    .filter((m) => m.value)
    .map((m) => ({
      key: m.key!.toString(),
      value: modelEventSchema.parse(JSON.parse(m.value!.toString())) as ModelEvent,
    }));
const champion = () =>
  events()
    .filter((e) => e.key === CHAMPION_KEY)
    .at(-1)?.value;
const latest = (version: string) =>
  events()
    .filter((e) => e.key === version)
    .at(-1)?.value;

const run = (verb: Verb, argv: string[]) => verb.run(parseArgs(argv, verb.args), ctx);

/** A registered version with the artifact metadata events are built from (no weights: nothing scores here). */
async function addVersion(value: number): Promise<string> {
  const version = await registry.newVersion();
  const meta = {
    version,
    createdAt: new Date().toISOString(),
    schemaHash: 'h',
    backend: 'wasm (wasm)',
    source: {},
    data: { from: '2019-01-01T00:00:00.000Z', to: '2020-01-01T00:00:00.000Z' },
    evaluation: {
      testFrom: Date.UTC(2019, 9, 1),
      testTo: Date.UTC(2019, 11, 1),
      samples: 10,
      rows: [],
      comparisons: [],
    },
  } as unknown as ArtifactMeta;
  await mkdir(registry.pathOf(version), { recursive: true });
  await writeFile(join(registry.pathOf(version), 'artifact.json'), JSON.stringify(meta));
  await registry.register(meta, { name: 'ndcg@3', value });
  return version;
}

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'modelcmd' });
  dir = await mkdtemp(join(tmpdir(), 'model-cmd-'));
  topic = uniqueName('test.models');
  const admin = createKafka({ clientId: 'test', brokers }).admin();
  await admin.connect();
  await ensureTopics(admin, [{ name: topic, cleanupPolicy: 'compact' }]);
  await admin.disconnect();
  reader = await readTopics(brokers, [topic]);
  registry = createRegistry({ dir });
  const { user, password, host, port, database } = db.db;
  const env = {
    DATABASE_URL: `mysql://${user}:${password}@${host}:${port}/${database}`,
    KAFKA_BROKERS: brokers.join(','),
  };
  ctx = { config: loadConfig(env), env, logger: silentLogger, root: process.cwd(), out: () => {} };
});

afterAll(async () => {
  await reader?.close();
  await rm(dir, { recursive: true, force: true });
  await db?.drop();
});

describe('npm run model -- promote | rollback | shadow', () => {
  it('publish each change on models.v1, with the champion key following the champion', async () => {
    const flags = ['--models-dir', dir, '--models-topic', topic];
    const a = await addVersion(0.6);
    const b = await addVersion(0.5);
    expect(await run(modelArea.verbs.promote!, [a, ...flags])).toBe(0);
    await reader.until(() => champion()?.version === a);
    expect(champion()).toMatchObject({
      event: 'promoted',
      status: 'champion',
      comparedWith: null,
      decidedBy: 'command',
    });
    expect(champion()!.testFrom).toBe('2019-10-01T00:00:00.000Z');

    // Not better and not forced: nothing changes and nothing is published.
    expect(await run(modelArea.verbs.promote!, [b, ...flags])).toBe(1);
    expect(await run(modelArea.verbs.promote!, [b, '--force', ...flags])).toBe(0);
    await reader.until(() => champion()?.version === b);
    expect(latest(a)).toMatchObject({ status: 'retired', comparedWith: b });
    expect(events().filter((e) => e.value.version === b && e.value.event === 'promoted')).toHaveLength(2);

    await run(modelArea.verbs.rollback!, flags);
    await reader.until(() => champion()?.version === a);
    expect(champion()).toMatchObject({ event: 'rolled-back', status: 'champion', comparedWith: b });
    expect(latest(b)).toMatchObject({ event: 'rolled-back', status: 'retired' });

    await run(modelArea.verbs.shadow!, [b, ...flags]);
    await reader.until(() => latest(b)?.status === 'shadow');
    await run(modelArea.verbs.shadow!, ['--stop', ...flags]);
    await reader.until(() => latest(b)?.event === 'shadow-stopped');
    expect(latest(b)!.status).toBe('candidate');
  });
});
