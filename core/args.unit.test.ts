import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.ts';
import { booleanFlag, intFlag, numberFlag, parseArgs, stringFlag, usageOf, type ArgsSpec } from './args.ts';

const LOGS: ArgsSpec = {
  positionals: ['[COMPONENT]'],
  options: {
    lines: { type: 'string', short: 'n', value: 'N', default: '40' },
    follow: { type: 'boolean' },
  },
};

describe('args', () => {
  it('parses positionals, --k v, --k=v and switches, applying declared defaults', () => {
    const spec: ArgsSpec = {
      positionals: ['[A]', '[B]'],
      options: { rate: { type: 'string' }, seed: { type: 'string', default: '1' }, follow: { type: 'boolean' } },
    };
    expect(parseArgs(['up', '--rate', '5', '--seed=7', '--follow', 'x'], spec)).toEqual({
      positionals: ['up', 'x'],
      flags: { rate: '5', seed: '7', follow: true },
    });
    expect(parseArgs([], spec).flags).toEqual({ seed: '1' });
  });

  it('rejects an unknown flag, naming it and the known ones', () => {
    const spec: ArgsSpec = { options: { shoppers: { type: 'string' }, seed: { type: 'string' } } };
    const err = catchError(() => parseArgs(['--shopper', '100'], spec));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toBe('unknown flag --shopper; known: --shoppers, --seed');
    expect(catchError(() => parseArgs(['--x'], {})).message).toBe('unknown flag --x; known: none');
  });

  it('takes everything after -- as positionals, even when it looks like a flag', () => {
    expect(parseArgs(['--follow', '--', '--lines', 'kafka'], { ...LOGS, positionals: ['[A]', '[B]'] })).toEqual({
      positionals: ['--lines', 'kafka'],
      flags: { lines: '40', follow: true },
    });
  });

  it('reads -n 5 as a declared short flag, and rejects an undeclared one', () => {
    expect(parseArgs(['-n', '5', 'kafka'], LOGS).flags.lines).toBe('5');
    expect(parseArgs(['-n5'], LOGS).flags.lines).toBe('5');
    expect(() => parseArgs(['-n', '5'], { options: { lines: { type: 'string' } } })).toThrow(/unknown flag -n/);
  });

  it('never lets a boolean swallow the next positional', () => {
    expect(parseArgs(['--follow', 'kafka'], LOGS)).toMatchObject({ positionals: ['kafka'], flags: { follow: true } });
    expect(() => parseArgs(['--follow=yes'], LOGS)).toThrow(ValidationError);
  });

  it('counts positionals against the declaration', () => {
    expect(() => parseArgs(['a', 'b'], LOGS)).toThrow(/unexpected argument b/);
    expect(() => parseArgs(['stray'], {})).toThrow(/unexpected argument stray/);
    expect(() => parseArgs([], { positionals: ['DIR'] })).toThrow(/missing DIR/);
    expect(() => parseArgs(['--lines'], LOGS)).toThrow(ValidationError);
    expect(parseArgs(['a', 'b', 'c'], { positionals: ['[APP...]'] }).positionals).toEqual(['a', 'b', 'c']);
  });

  it('enforces required flags', () => {
    const spec: ArgsSpec = { options: { rate: { type: 'string', required: true } } };
    expect(() => parseArgs([], spec)).toThrow(/--rate is required/);
    expect(parseArgs(['--rate', '2'], spec).flags.rate).toBe('2');
  });

  it('writes the usage line from the declaration', () => {
    expect(usageOf({ ...LOGS, note: '(needs the stack)' })).toBe(
      '[COMPONENT] [-n|--lines N=40] [--follow] (needs the stack)',
    );
    expect(usageOf({ options: { rate: { type: 'string', value: 'R', required: true, note: 'per second' } } })).toBe(
      '--rate R (per second)',
    );
    expect(usageOf()).toBe('');
  });

  it('validates numeric flags through thin wrappers', () => {
    const spec: ArgsSpec = { options: { n: { type: 'string' }, x: { type: 'string' }, b: { type: 'boolean' } } };
    expect(intFlag(parseArgs(['--n', '3'], spec), 'n', { min: 1 })).toBe(3);
    expect(() => intFlag(parseArgs(['--n', '3.5'], spec), 'n')).toThrow(/--n must be an integer >= 0, got 3.5/);
    expect(() => intFlag(parseArgs(['--n', '0'], spec), 'n', { min: 1 })).toThrow(/>= 1/);
    expect(() => intFlag(parseArgs(['--n='], spec), 'n')).toThrow(/must be an integer/);
    expect(() => intFlag(parseArgs([], spec), 'n')).toThrow(/--n is required/);
    expect(numberFlag(parseArgs(['--x', '0.5'], spec), 'x')).toBe(0.5);
    expect(() => numberFlag(parseArgs(['--x', 'abc'], spec), 'x')).toThrow(/--x must be a number/);
    expect(stringFlag(parseArgs([], spec), 'x')).toBeUndefined();
    expect(booleanFlag(parseArgs(['--b'], spec), 'b')).toBe(true);
    expect(booleanFlag(parseArgs([], spec), 'b')).toBe(false);
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}
