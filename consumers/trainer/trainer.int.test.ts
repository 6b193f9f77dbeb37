import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createTestDatabase, uniqueName, type TestDatabase } from '../../e2e/harness/test-database.ts';
import { readTopics, type TopicReader } from '../../e2e/harness/topic-reader.ts';
import { seedGeneratedShop } from '../../e2e/harness/generated-shop.ts';
import { createKafka } from '../../core/kafka.ts';
import { silentLogger } from '../../core/logger.ts';
import { kafkaBrokers } from '../../stack/settings.ts';
import { ensureTopics } from '../../streams/ensure-topics.ts';
import { jobEventSchema } from '../../streams/control/job-event.ts';
import { CHAMPION_KEY, modelEventSchema, type ModelEvent } from '../../streams/models/model-event.ts';
import { createRegistry } from '../../model/registry/registry.ts';
import { startTrainer, type RunningTrainer } from './app.ts';
import { loadTrainerConfig } from './config.ts';
import { createJobPublisher, jobEvent, type JobPublisher } from './job-publisher.ts';

const stack = inject('stack');
const brokers = kafkaBrokers(stack);
let db: TestDatabase;
let modelsDir: string;
let control: string;
let models: string;
let reader: TopicReader;
let requests: JobPublisher;

const jobs = () =>
  reader.messages
    .filter((m) => m.topic === control && m.value)
    .map((m) => jobEventSchema.parse(JSON.parse(m.value!.toString())));
const modelEvents = () =>
  reader.messages
    .filter((m) => m.topic === models && m.value)
    .map((m) => ({
      key: m.key!.toString(),
      value: modelEventSchema.parse(JSON.parse(m.value!.toString())) as ModelEvent,
    }));

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { user, password, host, port, database } = db.db;
  return {
    DATABASE_URL: `mysql://${user}:${password}@${host}:${port}/${database}`,
    KAFKA_BROKERS: brokers.join(','),
    MODELS_DIR: modelsDir,
    CONTROL_TOPIC: control,
    MODELS_TOPIC: models,
    TRAINER_METRICS_PORT: '0',
    RETRAIN_MAX_EPOCHS: '1',
    RETRAIN_STEP_DAYS: '14',
    ...extra,
  };
}

async function withTrainer<T>(extra: Record<string, string>, fn: (t: RunningTrainer) => Promise<T>): Promise<T> {
  const trainer = await startTrainer(loadTrainerConfig(env(extra)), silentLogger);
  try {
    return await fn(trainer);
  } finally {
    await trainer.stop();
  }
}

const request = (runId: string) =>
  requests.publish(jobEvent({ job: 'retrain', runId, status: 'requested', requestedBy: 'command' }));
const finished = (runId: string) =>
  reader.until(() => jobs().some((j) => j.runId === runId && (j.status === 'done' || j.status === 'failed')), 240_000);
const decisionOf = (runId: string) =>
  modelEvents().find((e) => e.value.runId === runId && e.key !== CHAMPION_KEY)!.value;
const champions = () =>
  modelEvents()
    .filter((e) => e.key === CHAMPION_KEY)
    .map((e) => e.value);

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'trainer' });
  await seedGeneratedShop(db.pool, { seed: 5, shoppers: 120 });
  modelsDir = await mkdtemp(join(tmpdir(), 'trainer-int-'));
  control = uniqueName('test.control');
  models = uniqueName('test.models');
  const admin = createKafka({ clientId: 'test', brokers }).admin();
  await admin.connect();
  await ensureTopics(admin, [
    { name: control, cleanupPolicy: 'compact' },
    { name: models, cleanupPolicy: 'compact' },
  ]);
  await admin.disconnect();
  reader = await readTopics(brokers, [control, models]);
  requests = createJobPublisher({ kafka: createKafka({ clientId: 'test', brokers }), topic: control });
});

afterAll(async () => {
  await requests?.close();
  await reader?.close();
  await rm(modelsDir, { recursive: true, force: true });
  await db?.drop();
});

describe('the trainer', () => {
  let first: string;

  it('runs a retrain request once even if it is published twice, and promotes the first model', async () => {
    await withTrainer({}, async (trainer) => {
      await request('retrain:test-1');
      await request('retrain:test-1');
      await finished('retrain:test-1');
      await trainer.idle();
    });
    const run = jobs().filter((j) => j.runId === 'retrain:test-1');
    expect(run.filter((j) => j.status === 'started')).toHaveLength(1);
    expect(run.filter((j) => j.status === 'done')).toHaveLength(1);
    await reader.until(() => champions().length === 1);
    const d = decisionOf('retrain:test-1');
    expect(d).toMatchObject({ event: 'promoted', status: 'champion', comparedWith: null, decidedBy: 'trainer' });
    expect(champions()[0]).toEqual(d);
    first = d.version;
    expect((await createRegistry({ dir: modelsDir }).champion())?.version).toBe(first);
  });

  it('keeps a challenger that fails the gate a candidate, with both metric tables on models.v1', async () => {
    await withTrainer({ RETRAIN_MIN_NDCG_GAIN: '0.5' }, async (trainer) => {
      // A restarted trainer replays the control topic: the finished run is not run again.
      await request('retrain:test-1');
      await request('retrain:test-2');
      await finished('retrain:test-2');
      await trainer.idle();
    });
    expect(jobs().filter((j) => j.runId === 'retrain:test-1' && j.status === 'started')).toHaveLength(1);
    const d = decisionOf('retrain:test-2');
    expect(d).toMatchObject({ event: 'rejected', status: 'candidate', comparedWith: first });
    expect(d.gate).toEqual({ metric: 'ndcg3', minGain: 0.5, passed: false });
    expect(d.reason).toMatch(/not above the margin 0\.5/);
    expect(d.metrics.map((m) => m.model)).toEqual(
      expect.arrayContaining(['Wide & Deep', 'popularity', `champion ${first}`]),
    );
    const head = d.differences.find((x) => x.versus === `champion ${first}` && x.metric === 'ndcg3')!;
    expect(head.low).toBeLessThanOrEqual(head.mean);
    expect(head.high).toBeGreaterThanOrEqual(head.mean);
    expect(d.dataFrom! < d.dataTo!).toBe(true);
    expect(d.backend).toMatch(/wasm|cpu|tfjs/);
    expect((await createRegistry({ dir: modelsDir }).champion())?.version).toBe(first);
    expect(champions().at(-1)!.version).toBe(first);
  });

  it('promotes a challenger that clearly beats a broken champion, and says so under the champion key', async () => {
    // Negated logits rank categories against the evidence: the challenger must clear the interval.
    // Only the layers that sum into the logits are negated (a negated BatchNorm variance would
    // make every prediction NaN, which is a different failure).
    const weights = join(modelsDir, first, 'weights.bin');
    const bytes = await readFile(weights);
    const floats = Float32Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
    const manifest = JSON.parse(await readFile(join(modelsDir, first, 'model.json'), 'utf8')) as {
      weightsManifest: { weights: { name: string; shape: number[] }[] }[];
    };
    let offset = 0;
    for (const w of manifest.weightsManifest.flatMap((g) => g.weights)) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      if (/^(wide_|deep_logits)/.test(w.name)) for (let i = offset; i < offset + n; i++) floats[i] = -floats[i]!;
      offset += n;
    }
    expect(offset).toBe(floats.length);
    const negated = Buffer.from(floats.buffer);
    await writeFile(weights, negated);
    // A deliberate change, not corruption: record its checksum, or loading refuses the file.
    const metaPath = join(modelsDir, first, 'artifact.json');
    const meta = JSON.parse(await readFile(metaPath, 'utf8'));
    meta.sha256['weights.bin'] = createHash('sha256').update(negated).digest('hex');
    await writeFile(metaPath, JSON.stringify(meta));
    await withTrainer({}, async (trainer) => {
      await request('retrain:test-3');
      await finished('retrain:test-3');
      await trainer.idle();
    });
    const d = decisionOf('retrain:test-3');
    expect(d).toMatchObject({ event: 'promoted', status: 'champion', comparedWith: first, gate: { passed: true } });
    expect(d.differences.find((x) => x.versus === `champion ${first}` && x.metric === 'ndcg3')!.low).toBeGreaterThan(0);
    await reader.until(() => champions().at(-1)?.version === d.version);
    const retired = modelEvents()
      .filter((e) => e.key === first)
      .at(-1)!.value;
    expect(retired).toMatchObject({ status: 'retired', comparedWith: d.version });
  });
});
