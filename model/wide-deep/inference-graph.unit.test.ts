import { describe, expect, it } from 'vitest';
import { selectBackend } from '../backend/select-backend.ts';
import { layoutOf } from '../data/feature-layout.ts';
import { inferenceGraph } from './inference-graph.ts';
import { buildLogisticRegression, buildWideDeep } from './wide-deep-model.ts';

type Tensor = import('@tensorflow/tfjs').Tensor;
const K = 16;
const layout = layoutOf({ K, lastN: 5, regions: 4 });

describe('W&D inference graph (BatchNorm folded)', () => {
  for (const batchNorm of [true, false])
    it(`predicts what the layers model predicts (batchNorm ${batchNorm})`, async () => {
      const { tf } = await selectBackend({ only: ['wasm', 'cpu'] });
      const model = buildWideDeep(tf, { layout, K, hidden: [32, 16], batchNorm });
      // Every weight non-trivial, moving variances positive: each folded term is exercised.
      model.setWeights(
        model
          .getWeights()
          .map((w, i) =>
            model.weights[i]!.name.includes('moving_variance')
              ? tf.randomUniform(w.shape, 0.5, 2, 'float32', i)
              : tf.randomNormal(w.shape, 0, 0.3, 'float32', i),
          ),
      );
      const n = 11;
      const xs = [
        tf.randomNormal([n, layout.numeric], 0, 1, 'float32', 6),
        tf.randomUniform([n, layout.wide], 0, layout.wideVocab, 'int32', 7),
        tf.randomUniform([n, layout.deep], 0, layout.deepVocab, 'int32', 8),
      ];
      const expected = (model.predict(xs) as Tensor).dataSync();
      const graph = inferenceGraph(tf, model)!;
      const before = tf.memory().numTensors;
      const out = graph.probabilities(xs);
      const actual = out.dataSync();
      out.dispose();
      expect(tf.memory().numTensors).toBe(before);
      for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(1e-5);
      graph.dispose();
      tf.dispose(xs);
      model.dispose();
    }, 60_000);

  it('is null for the baseline, which predicts through its layers', async () => {
    const { tf } = await selectBackend({ only: ['wasm', 'cpu'] });
    expect(inferenceGraph(tf, buildLogisticRegression(tf, { layout, K }))).toBeNull();
  });
});
