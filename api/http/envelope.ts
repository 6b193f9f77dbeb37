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

/** Marks a response that already carries the envelope (a property: cheaper per response than a WeakSet). */
const STAMPED = Symbol('enveloped');
type Stamped = Response & { [STAMPED]?: true };

export interface Envelope {
  /** Request id (c.get('requestId'), X-Request-Id) and Hono's security headers on every response. */
  middleware: MiddlewareHandler<AppEnv>;
  /** The client's X-Request-Id when well formed, else a new one (Hono's requestId() rules). */
  requestIdOf(c: Context): string;
  /** The same, from the header's value. */
  requestIdFrom(given: string | undefined): string;
  /**
   * A JSON answer that already carries the envelope's headers, as a plain header object: the
   * middleware then leaves it alone, and @hono/node-server writes it without building Headers.
   */
  json(c: Context<AppEnv>, body: string | Uint8Array, status: number, extra?: Record<string, string>): Response;
  /**
   * The envelope's headers plus `extra`, as one object to answer from many times (the hot path
   * keeps one per cached answer); undefined until the security header values have been read.
   */
  template(extra: Record<string, string>): Readonly<Record<string, string>> | undefined;
  /** A response from a template: per request, one copy of it and the request id. */
  fromTemplate(
    template: Readonly<Record<string, string>>,
    requestId: string,
    status: number,
    body: Uint8Array | null,
  ): Response;
}

/**
 * Hono's requestId() and secureHeaders() set their headers through the response's Headers object,
 * which on @hono/node-server turns every lightweight response into a full one: on the hot
 * /recommendations/home read these two were about a third of the middleware's CPU. Same headers,
 * same values (read from secureHeaders itself, once), set once per response and not at all on the hot path.
 */
export function createEnvelope(secureOptions: SecureHeadersOptions): Envelope {
  // Not frozen: V8 copies a plain object literal's shape fastest, and this one never leaves the closure.
  let secure: Record<string, string> | undefined;
  const ready = secureHeaderValues(secureOptions).then((h) => (secure = h));
  const requestIdFrom = (given: string | undefined) => (given && CLIENT_ID.test(given) ? given : randomUUID());
  const requestIdOf = (c: Context) => requestIdFrom(headerOf(c, 'x-request-id'));
  const fromTemplate = (
    template: Readonly<Record<string, string>>,
    requestId: string,
    status: number,
    body: string | Uint8Array | null,
  ) => {
    const headers: Record<string, string> = { ...template };
    headers['x-request-id'] = requestId;
    const res = new Response(body, { status, headers });
    (res as Stamped)[STAMPED] = true;
    return res;
  };
  return {
    async middleware(c, next) {
      if (!secure) await ready;
      const id = requestIdOf(c);
      c.set('requestId', id);
      await next();
      if ((c.res as Stamped)[STAMPED]) return;
      const h = c.res.headers;
      for (const k in secure) h.set(k, secure[k]!);
      h.set('x-request-id', id);
      h.delete('x-powered-by');
    },
    requestIdOf,
    requestIdFrom,
    json: (c, body, status, extra) =>
      fromTemplate({ ...secure, 'content-type': 'application/json', ...extra }, c.get('requestId'), status, body),
    template: (extra) => (secure ? { ...secure, ...extra } : undefined),
    fromTemplate,
  };
}
