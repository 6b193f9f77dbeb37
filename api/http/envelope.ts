import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';

import type { AppEnv } from './app-env.ts';
import { secureHeaderValues, type SecureHeadersOptions } from './secure-header-values.ts';

/** Hono's requestId() rules: a client's id is kept if it is 1..255 of [A-Za-z0-9_-=]. */
const CLIENT_ID = /^[\w\-=]{1,255}$/;

/**
 * A request header. On @hono/node-server, c.req.header() makes the adapter build a full Headers
 * object from the raw request headers; Node's own parsed headers are already there.
 */
export function headerOf(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming?.headers) return c.req.header(name);
  const v = incoming.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

export interface Envelope {
  /** Request id (c.get('requestId'), X-Request-Id) and Hono's security headers on every response. */
  middleware: MiddlewareHandler<AppEnv>;
  /**
   * A JSON answer that already carries the envelope's headers, as a plain header object: the
   * middleware then leaves it alone, and @hono/node-server writes it without building Headers.
   */
  json(c: Context<AppEnv>, body: string | Uint8Array, status: number): Response;
}

/**
 * Hono's requestId() and secureHeaders() set their headers through the response's Headers object,
 * which on @hono/node-server turns every lightweight response into a full one: on the hot
 * /recommendations/home read these two were about a third of the middleware's CPU. Same headers,
 * same values (read from secureHeaders itself), set once per response and not at all on the hot path.
 */
export function createEnvelope(secureOptions: SecureHeadersOptions): Envelope {
  let secure: Record<string, string> | undefined;
  const ready = secureHeaderValues(secureOptions).then((h) => (secure = h));
  const stamped = new WeakSet<Response>();
  return {
    async middleware(c, next) {
      if (!secure) await ready;
      const given = headerOf(c, 'x-request-id');
      const id = given && CLIENT_ID.test(given) ? given : randomUUID();
      c.set('requestId', id);
      await next();
      if (stamped.has(c.res)) return;
      const h = c.res.headers;
      for (const k in secure) h.set(k, secure[k]!);
      h.set('x-request-id', id);
      h.delete('x-powered-by');
    },
    json(c, body, status) {
      const res = new Response(body, {
        status,
        headers: { ...secure, 'x-request-id': c.get('requestId'), 'content-type': 'application/json' },
      });
      stamped.add(res);
      return res;
    },
  };
}
