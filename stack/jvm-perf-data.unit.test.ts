import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jitSeconds, parsePerfData } from './jvm-perf-data.ts';

/** A perf-data file as HotSpot lays it out: prologue, then one entry per counter. */
function perfData(counters: Record<string, bigint>, littleEndian = true): Buffer {
  const entries = Object.entries(counters).map(([name, value]) => {
    const nameLen = Buffer.byteLength(name) + 1;
    const dataAt = 20 + Math.ceil(nameLen / 8) * 8;
    const e = Buffer.alloc(dataAt + 8);
    const int = (v: number, at: number) => (littleEndian ? e.writeInt32LE(v, at) : e.writeInt32BE(v, at));
    int(e.length, 0);
    int(20, 4);
    int(0, 8);
    e[12] = 'J'.charCodeAt(0);
    int(dataAt, 16);
    e.write(name, 20, 'latin1');
    if (littleEndian) e.writeBigInt64LE(value, dataAt);
    else e.writeBigInt64BE(value, dataAt);
    return e;
  });
  const head = Buffer.alloc(32);
  head.writeUInt32BE(0xcafec0c0, 0);
  head[4] = littleEndian ? 1 : 0;
  head[5] = 2;
  const int = (v: number, at: number) => (littleEndian ? head.writeInt32LE(v, at) : head.writeInt32BE(v, at));
  int(32, 24);
  int(entries.length, 28);
  return Buffer.concat([head, ...entries]);
}

describe('JVM perf data', () => {
  it('reads the long counters in either byte order', () => {
    for (const le of [true, false]) {
      const m = parsePerfData(
        perfData({ 'java.ci.totalTime': 42_000_000_000n, 'sun.os.hrt.frequency': 1_000_000_000n }, le),
      );
      expect(m.get('java.ci.totalTime')).toBe(42_000_000_000n);
      expect(m.get('sun.os.hrt.frequency')).toBe(1_000_000_000n);
    }
  });

  it('reads nothing from a file that is not perf data', () => {
    expect(parsePerfData(Buffer.from('not a perf data file at all, long enough though')).size).toBe(0);
  });

  it('gives the JIT seconds of a pid, whichever user runs the JVM, and undefined for no JVM', () => {
    const dir = mkdtempSync(join(tmpdir(), 'perf-'));
    mkdirSync(join(dir, 'hsperfdata_kafka'));
    writeFileSync(
      join(dir, 'hsperfdata_kafka', '4242'),
      perfData({ 'java.ci.totalTime': 2_500_000n, 'sun.os.hrt.frequency': 1_000_000n }),
    );
    expect(jitSeconds(4242, dir)).toBe(2.5);
    expect(jitSeconds(4243, dir)).toBeUndefined();
  });
});
