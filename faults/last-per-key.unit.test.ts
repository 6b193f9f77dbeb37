import { describe, expect, it } from 'vitest';
import { differingKeys, lastPerKey, type KeyedValue } from './last-per-key.ts';

const m = (key: string, offset: number, value: string | null, partition = 0): KeyedValue<string> => ({
  key,
  partition,
  offset: String(offset),
  value,
});
const same = (a: string, b: string) => a === b;

describe('last value per key against a table', () => {
  it('keeps the value at the highest offset, whatever order the messages were read in', () => {
    const last = lastPerKey([m('1', 5, 'b'), m('1', 2, 'a'), m('2', 3, 'x', 1), m('2', 9, null, 1)]);
    expect(last).toEqual(
      new Map<string, string | null>([
        ['1', 'b'],
        ['2', null],
      ]),
    );
  });

  it('compares offsets as numbers beyond 2^53', () => {
    const last = lastPerKey([m('1', 0, 'old'), { key: '1', partition: 0, offset: '9007199254740993', value: 'new' }]);
    expect(last.get('1')).toBe('new');
  });

  it('agrees when every last value is the row and every tombstone has no row', () => {
    const last = new Map<string, string | null>([
      ['1', 'a'],
      ['2', null],
    ]);
    expect(differingKeys(last, new Map([['1', 'a']]), same)).toEqual([]);
  });

  it('names a stale row, a row the topic lacks, a tombstoned row and a missing row', () => {
    const last = new Map<string, string | null>([
      ['1', 'new'],
      ['2', null],
      ['3', 'c'],
    ]);
    const rows = new Map([
      ['1', 'old'],
      ['2', 'still here'],
      ['4', 'never published'],
    ]);
    expect(differingKeys(last, rows, same).sort()).toEqual(['1', '2', '3', '4']);
  });
});
