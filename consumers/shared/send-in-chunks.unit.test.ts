import { describe, expect, it } from 'vitest';
import { chunkBySize } from './send-in-chunks.ts';

describe('chunkBySize', () => {
  it('cuts below the limit and keeps the order; a message larger than the limit goes alone', () => {
    const msgs = ['a', 'b', 'c', 'd'].map((k) => ({ key: k, value: 'x'.repeat(400) }));
    const chunks = chunkBySize(msgs, 1_000);
    expect(chunks.map((c) => c.map((m) => m.key))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    const big = chunkBySize(
      [
        { key: 'k', value: 'x'.repeat(5_000) },
        { key: 'l', value: 'y' },
      ],
      1_000,
    );
    expect(big.map((c) => c.length)).toEqual([1, 1]);
  });
});
