import { describe, expect, it } from 'vitest';
import { areas } from './areas.ts';

describe('command-line areas', () => {
  const verbs = areas.flatMap((a) => Object.entries(a.verbs).map(([name, v]) => ({ area: a.name, name, ...v })));

  it('has a summary for every verb', () => {
    for (const v of verbs) expect(v.summary.length, `${v.area} ${v.name}`).toBeGreaterThan(0);
  });

  it('writes usage without the verb: help prints "npm run AREA -- VERB " before it', () => {
    for (const v of verbs) expect(v.usage ?? '', `${v.area} ${v.name}`).not.toMatch(new RegExp(`^${v.name}\\b`));
  });
});
