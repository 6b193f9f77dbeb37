import type { Tf } from '../backend/select-backend.ts';
import type { EncodedBatch } from '../data/encoder.ts';
import type { Layout } from '../data/feature-layout.ts';
import { inferenceGraph } from './inference-graph.ts';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Tensor = import('@tensorflow/tfjs').Tensor;

/** Rows [start, end) of an encoded batch as the model's three input tensors (copies, so tensors own their data). */
export function inputTensors(tf: Tf, layout: Layout, b: EncodedBatch, start: number, end: number): Tensor[] {
  const n = end - start;
  return [
    tf.tensor2d(b.numeric.subarray(start * layout.numeric, end * layout.numeric), [n, layout.numeric], 'float32'),
    tf.tensor2d(b.wide.subarray(start * layout.wide, end * layout.wide), [n, layout.wide], 'int32'),
    tf.tensor2d(b.deep.subarray(start * layout.deep, end * layout.deep), [n, layout.deep], 'int32'),
  ];
}

/**
 * Probabilities [n, K] row-major. Batch by batch, each inside tf.tidy: predicting one big tensor
 * with {batchSize} measured ~15x slower, and tidy guarantees no tensor outlives the call.
 */
export function predictProbabilities(
  tf: Tf,
  model: LayersModel,
  layout: Layout,
  b: EncodedBatch,
  K: number,
  batchSize = 1024,
): Float32Array {
  const out = new Float32Array(b.n * K);
  // The W&D with BatchNorm folded (inference-graph.ts); other models through their layers.
  const graph = inferenceGraph(tf, model);
  try {
    for (let start = 0; start < b.n; start += batchSize) {
      const end = Math.min(b.n, start + batchSize);
      // The tensor leaves tidy, not its values: tidy walks what it returns element by element
      // (65k Set insertions for a [4096, 16] Float32Array, most of a prediction call's time).
      const probs = tf.tidy(() => {
        const xs = inputTensors(tf, layout, b, start, end);
        // predict() cuts its input into batches of 32 unless told otherwise: ~30x the ops at 1024 rows.
        return graph ? graph.probabilities(xs) : (model.predict(xs, { batchSize: end - start }) as Tensor);
      });
      out.set(probs.dataSync(), start * K);
      probs.dispose();
    }
  } finally {
    graph?.dispose();
  }
  return out;
}
