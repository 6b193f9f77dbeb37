import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.ts';
import { checkName } from './names.ts';

describe('safe names', () => {
  it('accept letters, digits, _ and -', () => {
    expect(checkName('shop_features_replay_20261129', '--database')).toBe('shop_features_replay_20261129');
    expect(checkName('wd-20261129-101500-2', 'version')).toBe('wd-20261129-101500-2');
  });
  it.each(['', 'a`; DROP DATABASE shop; --', '../../etc', 'a b', 'x'.repeat(65), 'café'])('refuse %j', (bad) => {
    expect(() => checkName(bad, '--database')).toThrow(ValidationError);
  });
});
