import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { selectBackend, type BackendChoice } from '../backend/select-backend.ts';
import { fitEncoder, type Encoder } from '../data/encoder.ts';
import { createGeneratedSource } from '../data/generated-source.ts';
import { buildSamples, type Sample } from '../data/snapshots.ts';
import { normalizedTargets } from '../train/batches.ts';
import { fitModel } from '../train/fit.ts';
import { loadArtifact, saveArtifact, type ArtifactMeta } from '../registry/artifact.ts';
import { predictProbabilities } from './predict.ts';
import { buildWideDeep } from './wide-deep-model.ts';

const K = 16;
let backend: BackendChoice;
let samples: Sample[];
let encoder: Encoder;
let dir: string;

beforeAll(async () => {
  backend = await selectBackend({ only: ['wasm', 'cpu'] });
  const source = createGeneratedSource({ seed: 3, shoppers: 30 });
  samples = await buildSamples(source, {
    from: Date.UTC(2019, 0, 1),
    to: Date.UTC(2020, 0, 1),
    stepDays: 14,
    horizonDays: 28,
    numCategories: K,
  });
  encoder = fitEncoder(
    samples.map((s) => s.features),
    { categories: [...source.categories], lastN: 5 },
  );
  dir = await mkdtemp(join(tmpdir(), 'wd-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const set = () => ({
  x: encoder.encode(samples.map((s) => s.features)),
  targets: normalizedTargets(samples, K),
  truth: samples.map((s) => ({ primary: s.primary, relevant: s.relevant })),
});

describe('Wide & Deep', () => {
  it('maps [B, F] + [B, W] + [B, D] to softmax probabilities [B, 16] and leaks no tensors', () => {
    const { tf } = backend;
    const model = buildWideDeep(tf, { layout: encoder.layout, K });
    const x = encoder.encode(samples.slice(0, 37).map((s) => s.features));
    const before = tf.memory().numTensors;
    const p = predictProbabilities(tf, model, encoder.layout, x, K, 16);
    expect(tf.memory().numTensors).toBe(before);
    expect(p.length).toBe(37 * K);
    for (let i = 0; i < 37; i++) expect(p.subarray(i * K, (i + 1) * K).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(model.outputs[0]!.shape).toEqual([null, K]);
    model.dispose();
  });

  it('trains on the selected backend (embedding gradients need UnsortedSegmentSum) and the loss falls', async () => {
    const { tf } = backend;
    const model = buildWideDeep(tf, { layout: encoder.layout, K, hidden: [32, 16] });
    const before = tf.memory().numTensors;
    const r = await fitModel({ tf, model, layout: encoder.layout, K }, set(), set(), {
      maxEpochs: 3,
      batchSize: 64,
      learningRate: 5e-3,
      patience: 5,
    });
    expect(r.epochs.at(-1)!.loss).toBeLessThan(r.epochs[0]!.loss);
    // The optimizer's slots are the only tensors allowed to persist across epochs.
    const optimizerSlots = tf.memory().numTensors - before;
    expect(optimizerSlots).toBeLessThanOrEqual(3 * model.trainableWeights.length + 2);
    model.dispose();
  });

  it('saves and loads an artifact that predicts identically; a schema-hash mismatch is refused', async () => {
    const { tf } = backend;
    const model = buildWideDeep(tf, { layout: encoder.layout, K, hidden: [8] });
    const meta = { version: 'v-test', schemaHash: encoder.state.schemaHash, encoder: encoder.state } as ArtifactMeta;
    await saveArtifact(tf, join(dir, 'v-test'), model, meta);
    const loaded = await loadArtifact(tf, join(dir, 'v-test'));
    const x = encoder.encode(samples.slice(0, 5).map((s) => s.features));
    expect(predictProbabilities(tf, loaded.model, loaded.encoder.layout, x, K)).toEqual(
      predictProbabilities(tf, model, encoder.layout, x, K),
    );
    const metaPath = join(dir, 'v-test', 'artifact.json');
    const stale = JSON.parse(await readFile(metaPath, 'utf8'));
    stale.schemaHash = stale.encoder.schemaHash = '0'.repeat(64);
    await writeFile(metaPath, JSON.stringify(stale));
    await expect(loadArtifact(tf, join(dir, 'v-test'))).rejects.toThrow(ValidationError);
    model.dispose();
    loaded.model.dispose();
  });

  it('refuses an artifact whose weights or topology differ from the recorded sha256', async () => {
    const { tf } = backend;
    const model = buildWideDeep(tf, { layout: encoder.layout, K, hidden: [8] });
    const meta = { version: 'v-sum', schemaHash: encoder.state.schemaHash, encoder: encoder.state } as ArtifactMeta;
    const at = join(dir, 'v-sum');
    await saveArtifact(tf, at, model, meta);
    (await loadArtifact(tf, at)).model.dispose();
    const weights = await readFile(join(at, 'weights.bin'));
    weights[0] = weights[0]! ^ 0xff;
    await writeFile(join(at, 'weights.bin'), weights);
    await expect(loadArtifact(tf, at)).rejects.toThrow(/weights.bin does not match its recorded sha256/);
    weights[0] = weights[0]! ^ 0xff;
    await writeFile(join(at, 'weights.bin'), weights);
    await writeFile(
      join(at, 'model.json'),
      (await readFile(join(at, 'model.json'), 'utf8')).replace('"relu"', '"tanh"'),
    );
    await expect(loadArtifact(tf, at)).rejects.toThrow(/model.json does not match/);
    model.dispose();
  });
});
