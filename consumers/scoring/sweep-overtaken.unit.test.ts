import { describe, expect, it } from 'vitest';
import { createFreshnessMemo } from './publisher.ts';
import { stillCurrent, type SweepBatch } from './sweep-batch.ts';

const REQUESTED = '2026-11-29T17:20:00.000Z';
const AFTER = '2026-11-29T17:20:20.000Z';

const batch = (users: [number, string][]): SweepBatch => ({
  covered: users.length,
  messages: users.map(([u]) => ({ key: String(u), value: `rec ${u}` })),
  sources: users.map(([userId, sourceTs]) => ({ userId, sourceTs })),
  requestedAt: Date.parse(REQUESTED),
  nextLast: users.at(-1)?.[0] ?? 0,
  finished: false,
});

describe('a sweep batch overtaken by live recommendations', () => {
  it('drops the shoppers whose live recommendation is from the same second or later, and only those', () => {
    const memo = createFreshnessMemo();
    memo.note(1, '2026-11-29T17:20:13.000Z', AFTER); // same second as the sweep's read: the live one wins
    memo.note(2, '2026-11-29T17:20:14.000Z', AFTER); // later
    memo.note(3, '2026-11-29T17:20:12.000Z', AFTER); // older: the sweep's is newer
    const b = batch([
      [1, '2026-11-29T17:20:13.000Z'],
      [2, '2026-11-29T17:20:13.000Z'],
      [3, '2026-11-29T17:20:13.000Z'],
      [4, '2026-11-29T17:20:13.000Z'],
    ]);
    expect(stillCurrent(b, memo).map((m) => m.key)).toEqual(['3', '4']);
  });

  it('keeps the shoppers whose live recommendation was produced before the sweep was requested', () => {
    // The run is asked to redo those (a new model, the daily refresh); the checker wants them too.
    const memo = createFreshnessMemo();
    memo.note(1, '2026-11-29T17:19:50.000Z', '2026-11-29T17:19:51.000Z');
    memo.note(2, '2026-11-29T17:19:50.000Z', AFTER);
    const b = batch([
      [1, '2026-11-29T17:19:50.000Z'],
      [2, '2026-11-29T17:19:50.000Z'],
    ]);
    expect(stillCurrent(b, memo).map((m) => m.key)).toEqual(['1']);
  });

  it('returns the batch unchanged when nothing overtook it', () => {
    const b = batch([[5, '2026-11-29T17:20:13.000Z']]);
    expect(stillCurrent(b, createFreshnessMemo())).toBe(b.messages);
  });
});
