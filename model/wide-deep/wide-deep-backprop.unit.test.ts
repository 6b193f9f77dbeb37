import { describe, expect, it } from 'vitest';
import { selectBackend, type Tf } from '../backend/select-backend.ts';
import { layoutOf } from '../data/feature-layout.ts';
import { createDropoutMasks } from '../train/dropout-masks.ts';
import { wideDeepBackprop } from './wide-deep-backprop.ts';
import { wideDeepGraph } from './wide-deep-graph.ts';
import { buildWideDeep } from './wide-deep-model.ts';

type Tensor = import('@tensorflow/tfjs').Tensor;
type Scalar = import('@tensorflow/tfjs').Scalar;
const K = 16;
const layout = layoutOf({ K, lastN: 5, regions: 4 });

function batch(tf: Tf, n: number): { xs: Tensor[]; y: Tensor } {
  const xs = [
    tf.randomNormal([n, layout.numeric], 0, 1, 'float32', 6),
    tf.randomUniform([n, layout.wide], 0, layout.wideVocab, 'int32', 7),
    tf.randomUniform([n, layout.deep], 0, layout.deepVocab, 'int32', 8),
  ];
  return { xs, y: tf.softmax(tf.randomNormal([n, K], 0, 2, 'float32', 9)) };
}

function maxRelErr(a: Float32Array | Int32Array | Uint8Array, b: Float32Array | Int32Array | Uint8Array): number {
  let scale = 1e-6,
    err = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i]! - b[i]!));
  return err / scale;
}

describe('Wide & Deep gradient by hand', () => {
  for (const batchNorm of [true, false])
    it(`equals tf.variableGrads of the same forward, dropout masks included (batchNorm ${batchNorm})`, async () => {
      const { tf } = await selectBackend({ only: ['wasm', 'cpu'] });
      const model = buildWideDeep(tf, { layout, K, hidden: [32, 16], batchNorm, wideL2: 1e-2 });
      // Non-zero wide weights: the L2 terms and the wide gradient are exercised.
      model.setWeights(model.getWeights().map((w, i) => tf.add(w, tf.randomNormal(w.shape, 0, 0.1, 'float32', i))));
      const graph = wideDeepGraph(tf, model)!;
      const n = 24;
      const { xs, y } = batch(tf, n);
      const drawn = createDropoutMasks(
        graph.parts.hidden.map((h) => ({ units: h.kernel.shape[1]!, rate: h.rate })),
        5,
      ).next(n);
      const masks = drawn.map((m, i) => (m ? tf.tensor2d(m, [n, graph.parts.hidden[i]!.kernel.shape[1]!]) : null));
      const manual = tf.tidy(() => {
        const r = wideDeepBackprop(tf, graph.parts, xs, y, masks);
        return [r.loss, ...r.grads].map((t) => t.dataSync().slice());
      });
      const reference = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(
          () => wideDeepBackprop(tf, graph.parts, xs, y, masks).loss as Scalar,
          graph.vars,
        );
        return [value, ...graph.vars.map((v) => grads[v.name]!)].map((t) => t.dataSync().slice());
      });
      expect(manual).toHaveLength(graph.vars.length + 1);
      for (let i = 0; i < manual.length; i++) expect(maxRelErr(manual[i]!, reference[i]!)).toBeLessThan(2e-4);
      tf.dispose([...xs, y]);
      for (const m of masks) m?.dispose();
      model.dispose();
    }, 60_000);

  it('has the loss of the layers graph in training mode (no dropout)', async () => {
    const { tf } = await selectBackend({ only: ['wasm', 'cpu'] });
    const model = buildWideDeep(tf, { layout, K, hidden: [32, 16], dropout: 0 });
    const graph = wideDeepGraph(tf, model)!;
    const { xs, y } = batch(tf, 20);
    const [manual, expected] = tf.tidy(() => [
      wideDeepBackprop(tf, graph.parts, xs, y, [null, null]).loss.dataSync()[0]!,
      tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(graph.logits(xs, false))), -1))).dataSync()[0]!,
    ]);
    // graph.logits(.., false) uses the moving statistics, which start at mean 0 / variance 1: not the batch's.
    expect(Number.isFinite(manual)).toBe(true);
    const trainingLogits = tf.tidy(
      () => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(graph.logits(xs, true))), -1))).dataSync()[0]!,
    );
    expect(Math.abs(manual - trainingLogits)).toBeLessThan(1e-5);
    expect(expected).not.toBe(trainingLogits);
    tf.dispose([...xs, y]);
    model.dispose();
  }, 60_000);
});
