import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/** Whether the process is doing its work; /healthz answers 503 with the detail when not. */
export type HealthCheck = () => { ok: boolean; detail?: string };

/** Serves a process's own prom-client registry on /metrics, and /healthz for the stack's supervisor. */
export function serveMetrics(
  registry: Registry,
  port: number,
  host = '127.0.0.1',
  health?: HealthCheck,
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      registry.metrics().then(
        (body) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(body);
        },
        (err: Error) => {
          res.writeHead(500);
          res.end(err.message);
        },
      );
      return;
    }
    if (req.url === '/healthz') {
      const h = health?.() ?? { ok: true };
      res.writeHead(h.ok ? 200 : 503, { 'content-type': 'text/plain' });
      res.end(`${h.ok ? 'ok' : 'unhealthy'}${h.detail ? `: ${h.detail}` : ''}\n`);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
