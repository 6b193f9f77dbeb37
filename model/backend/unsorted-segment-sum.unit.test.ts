import { describe, expect, it } from 'vitest';
import { selectBackend } from './select-backend.ts';

describe('backend selection', () => {
  it('falls back past missing native packages and reports what it chose', async () => {
    const lines: string[] = [];
    const missing = async (s: string) => {
      throw new Error(`Cannot find package '${s}'`);
    };
    const c = await selectBackend({ out: (l) => lines.push(l), importModule: missing, only: ['tfjs-node', 'wasm'] });
    expect(c.name).toBe('wasm');
    expect(lines[0]).toMatch(/^tfjs backend: wasm .*skipped tfjs-node: Cannot find package/);
  });

  it('gives the wasm backend an UnsortedSegmentSum that matches the definition', async () => {
    const { tf } = await selectBackend({ only: ['wasm'] });
    const x = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [3, 2, 2]);
    const ids = tf.tensor1d([2, 0, 2], 'int32');
    const out = tf.unsortedSegmentSum(x, ids, 4);
    expect(out.shape).toEqual([4, 2, 2]);
    expect(Array.from(out.dataSync())).toEqual([5, 6, 7, 8, 0, 0, 0, 0, 10, 12, 14, 16, 0, 0, 0, 0]);
    tf.dispose([x, ids, out]);
  });
});
