import { describe, expect, it } from 'vitest';
import { splitBySize } from './dlq-batches.ts';
import { recordBytes } from './send-in-chunks.ts';

const rec = (kb: number, i: number) => ({
  key: `{"id":${i}}`,
  value: Buffer.alloc(kb * 1024, 'x'),
  headers: { 'dlq.reason': 'not JSON', 'dlq.offset': String(i) },
});

describe('DLQ sends', () => {
  it('stay below the byte limit and keep the order of the records', () => {
    const messages = Array.from({ length: 12 }, (_, i) => rec(300, i));
    const sends = splitBySize([{ topic: 'a.dlq', messages }], 900_000);
    for (const s of sends) expect(s.messages.reduce((n, m) => n + recordBytes(m), 0)).toBeLessThanOrEqual(900_000);
    expect(sends.length).toBe(6);
    expect(sends.flatMap((s) => s.messages.map((m) => m.key))).toEqual(messages.map((m) => m.key));
  });
  it('truncate a record that alone exceeds the limit, saying how big it was', () => {
    const [send] = splitBySize([{ topic: 'a.dlq', messages: [rec(2_000, 1)] }], 900_000);
    const m = send!.messages[0]!;
    expect(recordBytes(m)).toBeLessThanOrEqual(900_000);
    expect(m.headers).toMatchObject({ 'dlq.value.truncated': String(2_000 * 1024), 'dlq.offset': '1' });
  });
  it('split per topic', () => {
    const sends = splitBySize([
      { topic: 'a.dlq', messages: [rec(1, 1)] },
      { topic: 'b.dlq', messages: [rec(1, 2)] },
    ]);
    expect(sends.map((s) => s.topic)).toEqual(['a.dlq', 'b.dlq']);
  });
});
