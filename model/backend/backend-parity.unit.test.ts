import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitEncoder } from '../data/encoder.ts';
import { createGeneratedSource } from '../data/generated-source.ts';
import { buildSamples } from '../data/snapshots.ts';
import { readStatus } from '../native/native-config.ts';
import { loadArtifact, saveArtifact, type ArtifactMeta } from '../registry/artifact.ts';
import { predictProbabilities } from '../wide-deep/predict.ts';
import { buildWideDeep } from '../wide-deep/wide-deep-model.ts';
import { selectBackend } from './select-backend.ts';

const K = 16;
const TOLERANCE = 1e-4;
const native = readStatus('cpu');
if (!native?.ok) {
  console.warn(
    `native parity skipped: tfjs-node is ${native ? `not working here (${native.step}: ${native.reason})` : 'not built here (bash .ci/install builds it on linux x64)'}`,
  );
}
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

/** One W&D with non-trivial weights saved as an artifact, and rows encoded for it. */
async function fixture() {
  const { tf } = await selectBackend({ only: ['wasm'] });
  const source = createGeneratedSource({ seed: 9, shoppers: 40 });
  const samples = await buildSamples(source, {
    from: Date.UTC(2019, 0, 1),
    to: Date.UTC(2020, 0, 1),
    stepDays: 21,
    horizonDays: 28,
    numCategories: K,
  });
  const encoder = fitEncoder(
    samples.map((s) => s.features),
    { categories: [...source.categories], lastN: 5 },
  );
  const model = buildWideDeep(tf, { layout: encoder.layout, K, hidden: [32, 16], seed: 3 });
  // Random wide weights and BatchNorm statistics, so every part of the model shows in the output.
  model.setWeights(
    model
      .getWeights()
      .map((w, i) =>
        tf.tidy(() =>
          (w as unknown as { name: string }).name.includes('moving_variance')
            ? tf.randomUniform(w.shape, 0.5, 2, 'float32', i)
            : tf.randomNormal(w.shape, 0, 0.3, 'float32', i),
        ),
      ),
  );
  const dir = await mkdtemp(join(tmpdir(), 'parity-'));
  dirs.push(dir);
  await saveArtifact(tf, join(dir, 'given'), model, {
    version: 'v-given',
    schemaHash: encoder.state.schemaHash,
    encoder: encoder.state,
  } as ArtifactMeta);
  return { tf, dir, model, encoder, batch: encoder.encode(samples.slice(0, 200).map((s) => s.features)) };
}

describe('backend parity: the same weights predict the same on wasm, cpu and native', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let wasm: Float32Array;
  beforeAll(async () => {
    f = await fixture();
    wasm = predictProbabilities(f.tf, f.model, f.encoder.layout, f.batch, K);
  }, 60_000);
  afterAll(() => f?.model.dispose());

  it('wasm and cpu agree within 1e-4', async () => {
    const { tf, model, encoder, batch } = f;
    await tf.setBackend('cpu');
    const cpu = predictProbabilities(tf, model, encoder.layout, batch, K);
    await tf.setBackend('wasm');
    expect(maxDiff(wasm, cpu)).toBeLessThan(TOLERANCE);
  });

  it.skipIf(!native?.ok)(
    'native tfjs-node agrees within 1e-4, and a model it trained loads and predicts the same on wasm',
    async () => {
      const { tf, dir, batch } = f;
      const input = {
        artifactDir: join(dir, 'given'),
        trainedDir: join(dir, 'trained'),
        batch: {
          n: batch.n,
          numeric: Array.from(batch.numeric),
          wide: Array.from(batch.wide),
          deep: Array.from(batch.deep),
        },
      };
      await writeFile(join(dir, 'input.json'), JSON.stringify(input));
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, 'native-parity-child.ts'), join(dir, 'input.json')],
        { maxBuffer: 64 << 20 },
      );
      const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
        backend: string;
        given: number[];
        trained: number[];
      };
      expect(out.backend).toBe('tfjs-node');
      expect(maxDiff(out.given, wasm)).toBeLessThan(TOLERANCE);
      const trained = await loadArtifact(tf, join(dir, 'trained'));
      expect(trained.meta.backend).toMatch(/^tfjs-node/);
      expect(trained.meta.libraries?.libtensorflow).toBe(native!.tfVersion);
      expect(
        maxDiff(predictProbabilities(tf, trained.model, trained.encoder.layout, batch, K), out.trained),
      ).toBeLessThan(TOLERANCE);
      trained.model.dispose();
    },
    120_000,
  );
});
