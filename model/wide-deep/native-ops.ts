import type { Tf } from '../backend/select-backend.ts';

type Tensor = import('@tensorflow/tfjs').Tensor;

interface NodeBackend {
  binding: { TF_ATTR_INT: number; TF_ATTR_TYPE: number; TF_INT32: number; TF_FLOAT: number };
  executeSingleOutput(name: string, attrs: unknown[], inputs: Tensor[]): Tensor;
}

/**
 * tf.gather, but on the native backend straight to TensorFlow's GatherV2. tfjs-node's gather
 * kernel first reads every index back into JS and asserts its range one closure call at a time
 * (~1 µs per index: 4096 rows x 50 ids is milliseconds per batch); TensorFlow's own kernel
 * checks the range too and fails the op on a bad index, so nothing is lost.
 * Rows of `table` ([N, C] float32) at `ids` (int32, any shape) -> [...ids.shape, C].
 */
export function nativeGather(tf: Tf): (table: Tensor, ids: Tensor) => Tensor {
  if (tf.getBackend() !== 'tensorflow') return (table, ids) => tf.gather(table, ids);
  const backend = tf.backend() as unknown as NodeBackend;
  const b = backend.binding;
  const attrs = [
    { name: 'batch_dims', type: b.TF_ATTR_INT, value: 0 },
    { name: 'Tparams', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
    { name: 'Tindices', type: b.TF_ATTR_TYPE, value: b.TF_INT32 },
    { name: 'Taxis', type: b.TF_ATTR_TYPE, value: b.TF_INT32 },
  ];
  return (table, ids) => {
    const axis = tf.scalar(0, 'int32');
    const out = backend.executeSingleOutput('GatherV2', attrs, [table, ids, axis]);
    axis.dispose();
    return out;
  };
}

/**
 * Uniforms in [0, 1) of a shape, drawn by TensorFlow's RandomUniform (Philox, seeded; the stream
 * advances call by call) on the native backend; null elsewhere. Dropout masks for a 1024-row step
 * are ~460k uniforms: ~10 ms in JS, one kernel here.
 */
export function nativeUniform(tf: Tf, seed: number): ((shape: number[]) => Tensor) | null {
  if (tf.getBackend() !== 'tensorflow') return null;
  const backend = tf.backend() as unknown as NodeBackend;
  const b = backend.binding;
  const attrs = [
    { name: 'seed', type: b.TF_ATTR_INT, value: seed },
    { name: 'seed2', type: b.TF_ATTR_INT, value: 1 },
    { name: 'dtype', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
    { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_INT32 },
  ];
  return (shape) => {
    const dims = tf.tensor1d(shape, 'int32');
    const out = backend.executeSingleOutput('RandomUniform', attrs, [dims]);
    dims.dispose();
    return out;
  };
}
