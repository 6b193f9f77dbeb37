import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.ts';
import { selectBackend } from '../backend/select-backend.ts';
import { fitEncoder } from '../data/encoder.ts';
import { createGeneratedSource } from '../data/generated-source.ts';
import { buildSamples } from '../data/snapshots.ts';
import { saveArtifact, type ArtifactMeta } from '../registry/artifact.ts';
import { createPredictPool } from './predict-pool.ts';
import { predictProbabilities } from './predict.ts';
import { buildWideDeep } from './wide-deep-model.ts';

const K = 16;
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('predict pool (worker threads, one wasm engine each)', () => {
  it('gives the in-process predictions, in order, whether rows come encoded or as features', async () => {
    const { tf } = await selectBackend({ only: ['wasm', 'cpu'] });
    const source = createGeneratedSource({ seed: 5, shoppers: 40 });
    const samples = await buildSamples(source, {
      from: Date.UTC(2019, 0, 1),
      to: Date.UTC(2020, 0, 1),
      stepDays: 14,
      horizonDays: 28,
      numCategories: K,
    });
    const features = samples.map((s) => s.features);
    const encoder = fitEncoder(features, { categories: [...source.categories], lastN: 5 });
    const model = buildWideDeep(tf, { layout: encoder.layout, K, hidden: [16, 8], seed: 7 });
    const dir = await mkdtemp(join(tmpdir(), 'pool-'));
    dirs.push(dir);
    await saveArtifact(tf, dir, model, {
      version: 'v-pool',
      schemaHash: encoder.state.schemaHash,
      encoder: encoder.state,
    } as ArtifactMeta);
    const batch = encoder.encode(features);
    const expected = predictProbabilities(tf, model, encoder.layout, batch, K);
    const pool = await createPredictPool({ modelDir: dir, workers: 2, minRows: 50 });
    try {
      expect(pool.workers).toBe(2);
      expect(pool.backend).toMatch(/^wasm/);
      const [a, b] = await Promise.all([pool.predict(batch), pool.score(features)]);
      expect(a.length).toBe(batch.n * K);
      for (let i = 0; i < a.length; i++) {
        expect(Math.abs(a[i]! - expected[i]!)).toBeLessThan(1e-6);
        expect(Math.abs(b[i]! - expected[i]!)).toBeLessThan(1e-6);
      }
      // The caller's batch is copied, not transferred away.
      expect(batch.numeric.length).toBe(batch.n * encoder.layout.numeric);
    } finally {
      await pool.close();
      model.dispose();
    }
  }, 60_000);

  it('rejects with an AppError when the model directory has no artifact', async () => {
    await expect(createPredictPool({ modelDir: join(tmpdir(), 'no-such-model'), workers: 1 })).rejects.toThrow(
      AppError,
    );
  }, 60_000);
});
