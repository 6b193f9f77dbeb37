import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The long counters of a HotSpot JVM's perf-data file (`/tmp/hsperfdata_<user>/<pid>`, format 2.0:
 * what `jstat` reads). Finding and reading the file took about 2 ms here, where `jstat` starts a JVM of
 * its own.
 * Layout: a 32-byte prologue (magic 0xcafec0c0, byte order at 4, major version at 5, entry offset at
 * 24, entry count at 28), then entries of (length, name offset, vector length, type, flags, units,
 * variability, data offset) with the name and the value inside the entry.
 */
export function parsePerfData(buf: Buffer): Map<string, bigint> {
  const out = new Map<string, bigint>();
  if (buf.length < 32 || buf.readUInt32BE(0) !== 0xcafec0c0 || buf[5] !== 2) return out;
  const le = buf[4] === 1;
  const int = (at: number) => (le ? buf.readInt32LE(at) : buf.readInt32BE(at));
  let at = int(24);
  const entries = int(28);
  for (let i = 0; i < entries && at + 20 <= buf.length; i++) {
    const length = int(at);
    if (length <= 0) break;
    const nameAt = at + int(at + 4);
    const vector = int(at + 8);
    const type = String.fromCharCode(buf[at + 12]!);
    const dataAt = at + int(at + 16);
    if (type === 'J' && vector === 0 && dataAt + 8 <= buf.length) {
      const name = buf.toString('latin1', nameAt, buf.indexOf(0, nameAt));
      out.set(name, le ? buf.readBigInt64LE(dataAt) : buf.readBigInt64BE(dataAt));
    }
    at += length;
  }
  return out;
}

/** Where a JVM of this pid keeps its perf data, whichever user runs it; undefined if none does. */
function perfDataFile(pid: number, dir: string): string | undefined {
  return readdirSync(dir)
    .filter((n) => n.startsWith('hsperfdata_'))
    .map((d) => join(dir, d, String(pid)))
    .find((f) => existsSync(f));
}

/**
 * Seconds the JVM's JIT compilers have spent so far (java.ci.totalTime), or undefined where the
 * JVM runs with -XX:-UsePerfData or is gone. A JVM that has just started compiles its hot paths
 * for a minute or more, on the same cores as everything else.
 */
export function jitSeconds(pid: number, dir = tmpdir()): number | undefined {
  const file = perfDataFile(pid, dir);
  if (!file) return undefined;
  let counters: Map<string, bigint>;
  try {
    counters = parsePerfData(readFileSync(file));
  } catch {
    return undefined;
  }
  const ticks = counters.get('java.ci.totalTime');
  const hz = counters.get('sun.os.hrt.frequency');
  return ticks === undefined || !hz ? undefined : Number(ticks) / Number(hz);
}
