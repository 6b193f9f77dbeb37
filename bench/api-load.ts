import autocannon from 'autocannon';
import { cpuTimeMs } from './api-processes.ts';

export interface Load {
  rps: number;
  /** Server CPU per request, µs: unlike req/s, barely moved by what else runs on the machine. */
  cpuUs: number;
  p50: number;
  p99: number;
  failed: number;
}

/**
 * autocannon against one target. Without `rate` every connection sends its next request as soon as
 * the last is answered (saturation: latency is then mostly queueing, 50 connections / R req/s);
 * with `rate` the connections together send that many requests per second (latency at a fixed load).
 */
export async function load(opts: {
  url: string;
  pathFor: () => string;
  connections: number;
  seconds: number;
  pid: number;
  rate?: number;
}): Promise<Load> {
  const cpu0 = await cpuTimeMs(opts.pid);
  const r = await autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    ...(opts.rate ? { overallRate: opts.rate } : {}),
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: opts.pathFor() }) }],
  });
  const cpuUs = (((await cpuTimeMs(opts.pid)) - cpu0) * 1000) / Math.max(1, r.requests.total);
  return {
    rps: r.requests.average,
    cpuUs,
    p50: r.latency.p50,
    p99: r.latency.p99,
    failed: r.errors + r.timeouts + r.non2xx,
  };
}
