import { describe, expect, it } from 'vitest';
import { parseWrk, wrkScript } from './api-wrk.ts';

describe('wrk driver', () => {
  it('embeds every path, quoted, in the Lua script', () => {
    const s = wrkScript(['/a?x=1', '/b"c']);
    expect(s).toContain('"/a?x=1"');
    expect(s).toContain('"/b\\"c"');
    expect(s).toContain('local n = #paths');
  });

  it('reads the result line and converts latencies to ms', () => {
    const r = parseWrk(
      'Running 5s test\nWRK_JSON {"requests":1000,"duration_us":2000000,"p50_us":850,"p99_us":3995,"failed":2}\n',
    );
    expect(r).toEqual({ requests: 1000, rps: 500, p50: 0.85, p99: 4, failed: 2 });
  });

  it('fails loudly when wrk printed no result', () => {
    expect(() => parseWrk('unable to connect')).toThrow(/no result line/);
  });
});
