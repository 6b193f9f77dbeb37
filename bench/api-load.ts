import autocannon from 'autocannon';
import { cpuTimeMs } from './api-processes.ts';
import { runWrk, type WrkResult } from './api-wrk.ts';

export interface Load {
  rps: number;
  /** Server CPU per request, µs: unlike req/s, barely moved by what else runs on the machine. */
  cpuUs: number;
  p50: number;
  p99: number;
  failed: number;
}

export type Generator = 'wrk' | 'autocannon';

/**
 * One load run against one target, on a random path of `paths` per request. Without `rate` every
 * connection sends its next request as soon as the last is answered (saturation: latency is then
 * mostly queueing, 50 connections / R req/s), by wrk when there is one: autocannon is Node, and on
 * two cores it takes a core from the server it measures. With `rate` the connections together send
 * that many requests per second (latency at a fixed load; wrk has no fixed rate, autocannon does).
 */
export async function load(opts: {
  url: string;
  paths: readonly string[];
  connections: number;
  seconds: number;
  pid: number;
  generator: Generator;
  rate?: number;
}): Promise<Load> {
  const cpu0 = await cpuTimeMs(opts.pid);
  const r = opts.generator === 'wrk' && !opts.rate ? await runWrk(opts) : await runAutocannon(opts);
  const cpuUs = (((await cpuTimeMs(opts.pid)) - cpu0) * 1000) / Math.max(1, r.requests);
  return { rps: r.rps, cpuUs, p50: r.p50, p99: r.p99, failed: r.failed };
}

async function runAutocannon(opts: {
  url: string;
  paths: readonly string[];
  connections: number;
  seconds: number;
  rate?: number;
}): Promise<WrkResult> {
  const pathFor = () => opts.paths[Math.floor(Math.random() * opts.paths.length)]!;
  const r = await autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    ...(opts.rate ? { overallRate: opts.rate } : {}),
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: pathFor() }) }],
  });
  return {
    requests: r.requests.total,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    failed: r.errors + r.timeouts + r.non2xx,
  };
}
