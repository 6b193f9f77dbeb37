import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Whether wrk (Debian's `wrk`, installed by .ci/install) is on the PATH. */
export function hasWrk(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/**
 * wrk's Lua side: each request asks for a random path of the list, and `done` prints one JSON line
 * (latencies in µs) that the parent reads instead of wrk's human summary.
 */
export function wrkScript(paths: readonly string[]): string {
  const list = paths.map((p) => JSON.stringify(p)).join(',\n');
  return `local paths = {\n${list}\n}
local n = #paths
math.randomseed(os.time())
request = function() return wrk.format("GET", paths[math.random(n)]) end
done = function(s, latency, requests)
  local e = s.errors
  io.write(string.format('WRK_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"failed":%d}\\n',
    s.requests, s.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout + e.status))
end
`;
}

/** One load run's figures (latencies in ms), whichever generator ran it. */
export interface WrkResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}

/** Parses the JSON line the script's `done` prints (latencies to ms). */
export function parseWrk(stdout: string): WrkResult {
  const line = stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (!line) throw new Error(`wrk printed no result line:\n${stdout.slice(-2000)}`);
  const r = JSON.parse(line.slice('WRK_JSON '.length)) as Record<string, number>;
  const ms = (us: number) => Math.round(us / 10) / 100;
  return {
    requests: r.requests!,
    rps: r.requests! / (r.duration_us! / 1e6),
    p50: ms(r.p50_us!),
    p99: ms(r.p99_us!),
    failed: r.failed!,
  };
}

/**
 * One closed-loop wrk run: one thread (a C event loop costs the server a fraction of what a Node
 * load generator does on the same two cores), `connections` keep-alive connections.
 */
export async function runWrk(opts: {
  url: string;
  paths: readonly string[];
  connections: number;
  seconds: number;
}): Promise<WrkResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-wrk-'));
  try {
    const script = join(dir, 'paths.lua');
    await writeFile(script, wrkScript(opts.paths));
    const args = ['-t1', `-c${opts.connections}`, `-d${opts.seconds}s`, '--timeout', '5s', '-s', script, opts.url];
    const { stdout } = await run('wrk', args, { maxBuffer: 1 << 20 });
    return parseWrk(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
