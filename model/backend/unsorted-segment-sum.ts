import type { KernelConfig, KernelFunc, TensorInfo, TypedArray } from '@tensorflow/tfjs';

/**
 * UnsortedSegmentSum for the WebAssembly backend, which ships without it; the Embedding layer's
 * gradient needs it. Plain JS over the wasm heap: it runs once per embedding per batch on
 * (batch x slots) rows, so a loop is cheap next to the Dense layers, and it measured faster than
 * falling back to the cpu backend for the whole model.
 */
interface WasmLikeBackend {
  readSync(dataId: unknown): unknown;
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): TypedArray;
}

const kernelFunc = (({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const numSegments = (attrs as { numSegments: number }).numSegments;
  const b = backend as unknown as WasmLikeBackend;
  const values = b.readSync(x.dataId) as TypedArray;
  const ids = b.readSync(segmentIds.dataId) as TypedArray;
  const inner = x.shape.slice(1).reduce((a, d) => a * d, 1);
  const out = b.makeOutput([numSegments, ...x.shape.slice(1)], x.dtype);
  const target = b.typedArrayFromHeap(out);
  target.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const seg = ids[i]!;
    // TensorFlow drops rows whose segment id is out of range rather than failing.
    if (seg < 0 || seg >= numSegments) continue;
    const src = i * inner;
    const dst = seg * inner;
    for (let j = 0; j < inner; j++) target[dst + j] = target[dst + j]! + values[src + j]!;
  }
  return out;
}) as KernelFunc;

export const unsortedSegmentSumWasm: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc,
};
