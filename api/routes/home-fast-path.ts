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

/** The /home answer as a response, or a 304 when the client already holds these bytes. */
export type HomeResponder = (
  requestId: string,
  answer: HomeAnswer,
  ifNoneMatch: string | undefined,
) => Response | undefined;

/**
 * Every /home response carries its ETag, so a client can revalidate whichever path answered it.
 * The headers of each answer are put together once, with the answer; undefined until the
 * envelope is ready (a moment after start).
 */
export function createHomeResponder(envelope: Envelope): HomeResponder {
  const templates = new WeakMap<HomeAnswer, { ok: Record<string, string>; same: Record<string, string> }>();
  const templatesOf = (answer: HomeAnswer) => {
    let t = templates.get(answer);
    if (t) return t;
    const ok = envelope.template({
      'content-type': 'application/json',
      etag: answer.etag,
      'cache-control': CACHE_CONTROL,
    });
    const same = envelope.template({ etag: answer.etag, 'cache-control': CACHE_CONTROL });
    if (!ok || !same) return undefined;
    templates.set(answer, (t = { ok, same }));
    return t;
  };
  return (requestId, answer, ifNoneMatch) => {
    const t = templatesOf(answer);
    if (!t) return undefined;
    return matchesEtag(ifNoneMatch, answer.etag)
      ? envelope.fromTemplate(t.same, requestId, 304, null)
      : envelope.fromTemplate(t.ok, requestId, 200, answer.bytes);
  };
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
  respond: HomeResponder;
  metrics: HttpMetrics;
  /** The documented API, with all its middleware. */
  behind: (c: Context<AppEnv>) => Response | Promise<Response>;
}): Handler<AppEnv> {
  const { home, envelope, respond, metrics, behind } = deps;
  return (c) => {
    const t0 = performance.now();
    const url = c.req.url;
    const q = url.indexOf('?');
    const m = q < 0 ? null : CANONICAL.exec(url.slice(q + 1));
    if (!m || headerOf(c, 'origin') !== undefined) return behind(c);
    const userId = Number(m[1]);
    const answer = userId <= MAX_ID ? home.cached(userId) : undefined;
    const res = answer && respond(envelope.requestIdOf(c), answer, headerOf(c, 'if-none-match'));
    if (!res) return behind(c);
    metrics.record(c.req.method, HOME_PATH, res.status, (performance.now() - t0) / 1000);
    return res;
  };
}
