import type { Context, Handler } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { headerOf, type Envelope } from '../http/envelope.ts';
import type { HttpMetrics } from '../http/http-metrics.ts';
import { matchesEtag, type HomeAnswer } from '../home/home-answer.ts';
import type { HomeService } from '../home/home-service.ts';
import { MAX_ID } from '../schemas/common.ts';

export const HOME_PATH = '/recommendations/home';

/** Per-shopper answers: a browser may keep one but must ask again (with If-None-Match) before reuse. */
const CACHE_CONTROL = 'private, no-cache';

/**
 * The /home answer, or a 304 when the client already holds these bytes. Every /home response
 * carries its ETag, so a client can revalidate whichever path answered it.
 */
export function homeResponse(
  envelope: Envelope,
  requestId: string,
  answer: HomeAnswer,
  ifNoneMatch: string | undefined,
): Response {
  if (matchesEtag(ifNoneMatch, answer.etag))
    return envelope.respond(requestId, 304, null, { etag: answer.etag, 'cache-control': CACHE_CONTROL });
  return envelope.respond(requestId, 200, answer.bytes, {
    'content-type': 'application/json',
    etag: answer.etag,
    'cache-control': CACHE_CONTROL,
  });
}

/** `user_id` alone, spelled the one way the route's schema reads back unchanged. */
const CANONICAL = /^user_id=([1-9]\d{0,9})$/;

/**
 * GET /recommendations/home when the view holds the answer: in front of the middleware, it does in
 * one synchronous step what they would (request id, security headers, metrics) and leaves
 * everything else to them and to the documented route: a query in any other
 * spelling (so validation and its 400s stay the schema's), a cross-origin request (CORS), a view
 * miss (the database read, under the timeout). A synchronous read cannot outlive the timeout.
 */
export function homeFastPath(deps: {
  home: HomeService;
  envelope: Envelope;
  metrics: HttpMetrics;
  /** The documented API, with all its middleware. */
  behind: (c: Context<AppEnv>) => Response | Promise<Response>;
}): Handler<AppEnv> {
  const { home, envelope, metrics, behind } = deps;
  return (c) => {
    const t0 = performance.now();
    const url = c.req.url;
    const q = url.indexOf('?');
    const m = q < 0 ? null : CANONICAL.exec(url.slice(q + 1));
    if (!m || !envelope.ready() || headerOf(c, 'origin') !== undefined) return behind(c);
    const userId = Number(m[1]);
    const answer = userId <= MAX_ID ? home.cached(userId) : undefined;
    if (!answer) return behind(c);
    const res = homeResponse(envelope, envelope.requestIdOf(c), answer, headerOf(c, 'if-none-match'));
    metrics.record(c.req.method, HOME_PATH, res.status, (performance.now() - t0) / 1000);
    return res;
  };
}
