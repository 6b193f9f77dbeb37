import type { IncomingMessage, ServerResponse } from 'node:http';
import { matchesEtag, type HomeAnswer } from '../home/home-answer.ts';
import type { HomeService } from '../home/home-service.ts';
import { MAX_ID } from '../schemas/common.ts';
import type { Envelope } from '../http/envelope.ts';
import type { HttpMetrics } from '../http/http-metrics.ts';
import { HOME_CACHE_CONTROL, HOME_PATH } from './home-responder.ts';

const PREFIX = `${HOME_PATH}?`;

/** `user_id` alone, spelled the one way the route's schema reads back unchanged. */
const CANONICAL = /^user_id=([1-9]\d{0,9})$/;

/** Answers the request and returns true, or returns false having touched nothing. */
export type HotListener = (req: IncomingMessage, res: ServerResponse) => boolean;

/** One answer's response headers as Node's flat [name, value, …] list, for 200 and for 304. */
interface Heads {
  ok: string[];
  same: string[];
}

const flat = (h: Readonly<Record<string, string>>) => Object.entries(h).flat();

/**
 * GET /recommendations/home when the view holds the answer, on Node's request itself: no Request,
 * Context or Response object per request, and the headers of each answer put together once. At
 * thousands of requests a second those objects were most of what the API allocated per request, and
 * the young-generation collections they caused set the p99. It writes what the documented route
 * would (the envelope's security headers, request id, ETag and 304, the metrics) and leaves
 * everything else to it: a query in any other spelling (so validation and its 400s stay the
 * schema's), a cross-origin request (CORS), HEAD, a view miss, a dead feed.
 */
export function createHomeHotPath(deps: { home: HomeService; envelope: Envelope; metrics: HttpMetrics }): HotListener {
  const { home, envelope, metrics } = deps;
  const heads = new WeakMap<HomeAnswer, Heads>();
  const headsOf = (answer: HomeAnswer): Heads | undefined => {
    let h = heads.get(answer);
    if (h) return h;
    const common = { etag: answer.etag, 'cache-control': HOME_CACHE_CONTROL };
    const ok = envelope.template({
      'content-type': 'application/json',
      'content-length': String(answer.bytes.length),
      ...common,
    });
    const same = envelope.template(common);
    if (!ok || !same) return undefined;
    heads.set(answer, (h = { ok: flat(ok), same: flat(same) }));
    return h;
  };
  return (req, res) => {
    const url = req.url;
    if (req.method !== 'GET' || !url?.startsWith(PREFIX) || req.headers.origin !== undefined) return false;
    const m = CANONICAL.exec(url.slice(PREFIX.length));
    if (!m) return false;
    const t0 = performance.now();
    const userId = Number(m[1]);
    const answer = userId <= MAX_ID ? home.cached(userId) : undefined;
    const h = answer && headsOf(answer);
    if (!h) return false;
    const same = matchesEtag(req.headers['if-none-match'], answer.etag);
    const status = same ? 304 : 200;
    const given = req.headers['x-request-id'];
    const id = envelope.requestIdFrom(typeof given === 'string' ? given : undefined);
    res.writeHead(status, [...(same ? h.same : h.ok), 'x-request-id', id]);
    res.end(same ? undefined : answer.bytes);
    metrics.record('GET', HOME_PATH, status, (performance.now() - t0) / 1000);
    return true;
  };
}
