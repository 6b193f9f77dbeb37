import { describe, expect, it } from 'vitest';
import { parseArgs, usageOf } from '../core/args.ts';
import { ValidationError } from '../core/errors.ts';
import { areas } from './areas.ts';

describe('command-line areas', () => {
  const verbs = areas.flatMap((a) => Object.entries(a.verbs).map(([name, v]) => ({ area: a.name, name, ...v })));
  const verb = (area: string, name: string) => verbs.find((v) => v.area === area && v.name === name)!;

  it('has a summary for every verb', () => {
    for (const v of verbs) expect(v.summary.length, `${v.area} ${v.name}`).toBeGreaterThan(0);
  });

  it('writes usage without the verb: help prints "npm run AREA -- VERB " before it', () => {
    for (const v of verbs) expect(usageOf(v.args), `${v.area} ${v.name}`).not.toMatch(new RegExp(`^${v.name}\\b`));
  });

  it('lists every declared flag in the usage line, with its short form', () => {
    for (const v of verbs) {
      const usage = usageOf(v.args);
      for (const [name, f] of Object.entries(v.args?.options ?? {}))
        expect(usage, `${v.area} ${v.name}`).toContain(f.short ? `-${f.short}|--${name}` : `--${name}`);
    }
  });

  it('accepts each verb with its declared defaults and rejects an undeclared flag', () => {
    for (const v of verbs) {
      const required = (v.args?.positionals ?? []).filter((p) => !p.startsWith('['));
      const needed = Object.entries(v.args?.options ?? {}).flatMap(([n, f]) => (f.required ? [`--${n}=1`] : []));
      expect(() => parseArgs([...required, ...needed], v.args), `${v.area} ${v.name}`).not.toThrow();
      expect(() => parseArgs(['--no-such-flag'], v.args), `${v.area} ${v.name}`).toThrow(ValidationError);
    }
  });

  it('rejects `data generate --shopper 100` instead of generating the default shop', () => {
    expect(() => parseArgs(['--shopper', '100'], verb('data', 'generate').args)).toThrow(
      /unknown flag --shopper; known: --shoppers, /,
    );
    expect(parseArgs(['--shoppers', '100'], verb('data', 'generate').args).flags.shoppers).toBe('100');
  });

  it('reads `stack logs -n 5 kafka` and refuses -n where it is not declared', () => {
    expect(parseArgs(['-n', '5', 'kafka'], verb('stack', 'logs').args)).toMatchObject({
      positionals: ['kafka'],
      flags: { lines: '5' },
    });
    expect(() => parseArgs(['-n', '5'], verb('data', 'generate').args)).toThrow(/unknown flag -n/);
  });
});
