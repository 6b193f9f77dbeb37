import { describe, expect, it } from 'vitest';
import { createEncodePool } from './encode-pool.ts';
import { fitEncoder } from './encoder.ts';
import { createGeneratedSource } from './generated-source.ts';
import { buildSamples } from './snapshots.ts';

describe('encode pool (parse + encode on worker threads)', () => {
  it('encodes JSON feature rows exactly as the encoder does here, in order', async () => {
    const source = createGeneratedSource({ seed: 4, shoppers: 20 });
    const samples = await buildSamples(source, {
      from: Date.UTC(2019, 0, 1),
      to: Date.UTC(2020, 0, 1),
      stepDays: 30,
      horizonDays: 28,
      numCategories: 16,
    });
    const features = samples.map((s) => s.features);
    const encoder = fitEncoder(features, { categories: [...source.categories], lastN: 5 });
    const pool = await createEncodePool({ encoder: encoder.state, workers: 2 });
    try {
      const lines = features.map((f) => JSON.stringify(f));
      const [a, b] = await Promise.all([pool.encode(lines.slice(0, 10)), pool.encode(lines.slice(10))]);
      const expected = encoder.encode(features);
      expect(Array.from(a.userIds)).toEqual(features.slice(0, 10).map((f) => f.userId));
      expect([...a.batch.numeric, ...b.batch.numeric]).toEqual([...expected.numeric]);
      expect([...a.batch.wide, ...b.batch.wide]).toEqual([...expected.wide]);
      expect([...a.batch.deep, ...b.batch.deep]).toEqual([...expected.deep]);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
