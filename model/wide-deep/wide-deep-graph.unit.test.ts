import { describe, expect, it } from 'vitest';
import { selectBackend } from '../backend/select-backend.ts';
import { layoutOf } from '../data/feature-layout.ts';
import { createTrainStep } from '../train/train-step.ts';
import { buildLogisticRegression, buildWideDeep } from './wide-deep-model.ts';
import { wideDeepGraph } from './wide-deep-graph.ts';

type Tensor = import('@tensorflow/tfjs').Tensor;
const K = 16;
const layout = layoutOf({ K, lastN: 5, regions: 4 });

describe('Wide & Deep as plain ops (the lean training graph)', () => {
  it('computes what the layers model predicts, on the same variables', async () => {
    const { tf } = await selectBackend({ only: ['wasm', 'cpu'] });
    const model = buildWideDeep(tf, { layout, K, hidden: [32, 16] });
    const graph = wideDeepGraph(tf, model)!;
    expect(graph.vars).toHaveLength(model.trainableWeights.length);
    // Non-zero wide weights and moving statistics, so every term is exercised.
    const [emb] = model.getLayer('wide_ids').getWeights();
    model.getLayer('wide_ids').setWeights([tf.randomNormal(emb!.shape, 0, 0.1, 'float32', 3)]);
    const bn = model.getLayer('deep_bn_32');
    const [g, b] = bn.getWeights();
    bn.setWeights([g!, b!, tf.randomNormal([32], 0, 0.5, 'float32', 4), tf.randomUniform([32], 0.5, 2, 'float32', 5)]);
    const n = 9;
    const xs = [
      tf.randomNormal([n, layout.numeric], 0, 1, 'float32', 6),
      tf.randomUniform([n, layout.wide], 0, layout.wideVocab, 'int32', 7),
      tf.randomUniform([n, layout.deep], 0, layout.deepVocab, 'int32', 8),
    ];
    const expected = (model.predict(xs) as Tensor).dataSync();
    const actual = tf.tidy(() => tf.softmax(graph.logits(xs, false)).dataSync());
    for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(1e-5);
    tf.dispose(xs);
    model.dispose();
  }, 60_000);

  it('also for hidden layers without BatchNorm (Dense + bias + ReLU fused)', async () => {
    const { tf } = await selectBackend({ only: ['wasm', 'cpu'] });
    const model = buildWideDeep(tf, { layout, K, hidden: [32, 16], batchNorm: false });
    model.setWeights(model.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.2, 'float32', i)));
    const graph = wideDeepGraph(tf, model)!;
    expect(graph.vars).toHaveLength(model.trainableWeights.length);
    const xs = [
      tf.randomNormal([7, layout.numeric], 0, 1, 'float32', 6),
      tf.randomUniform([7, layout.wide], 0, layout.wideVocab, 'int32', 7),
      tf.randomUniform([7, layout.deep], 0, layout.deepVocab, 'int32', 8),
    ];
    const expected = (model.predict(xs) as Tensor).dataSync();
    const actual = tf.tidy(() => tf.softmax(graph.logits(xs, false)).dataSync());
    for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(1e-5);
    tf.dispose(xs);
    model.dispose();
  }, 60_000);

  it('trains W&D on the graph and other models through their layers; loss falls, no tensors leak', async () => {
    const { tf } = await selectBackend({ only: ['wasm', 'cpu'] });
    expect(wideDeepGraph(tf, buildLogisticRegression(tf, { layout, K }))).toBeNull();
    for (const model of [buildWideDeep(tf, { layout, K, hidden: [16] }), buildLogisticRegression(tf, { layout, K })]) {
      const n = 64;
      const xs = [
        tf.randomNormal([n, layout.numeric], 0, 1, 'float32', 1),
        tf.randomUniform([n, layout.wide], 0, layout.wideVocab, 'int32', 2),
        tf.randomUniform([n, layout.deep], 0, layout.deepVocab, 'int32', 3),
      ];
      const y = tf.oneHot(tf.randomUniform([n], 0, K, 'int32', 4), K).toFloat();
      const step = createTrainStep(tf, model, { learningRate: 1e-2 });
      const first = await step.run(xs, y);
      const before = tf.memory().numTensors;
      let last = first;
      for (let i = 0; i < 20; i++) last = await step.run(xs, y);
      expect(tf.memory().numTensors).toBe(before);
      expect(last).toBeLessThan(first);
      step.dispose();
      tf.dispose([...xs, y]);
      model.dispose();
    }
  }, 60_000);
});
