import type { IncomingMessage, ServerResponse } from 'node:http';
import { matchesEtag } from '../home/home-answer.ts';
import type { HomeService } from '../home/home-service.ts';
import { MAX_ID } from '../schemas/common.ts';
import type { Envelope } from '../http/envelope.ts';
import type { HttpMetrics } from '../http/http-metrics.ts';
import { HOME_PATH, type HomeHeadersOf } from './home-responder.ts';

const PREFIX = `${HOME_PATH}?`;

/** `user_id` alone, spelled the one way the route's schema reads back unchanged. */
const CANONICAL = /^user_id=([1-9]\d{0,9})$/;

/** Answers the request and returns true, or returns false having touched nothing. */
export type HotListener = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * GET /recommendations/home when the view holds the answer, on Node's request itself: no Request,
 * Context or Response object per request, and the headers of each answer put together once. At
 * thousands of requests a second those objects were most of what the API allocated per request, and
 * the young-generation collections they caused set the p99. It writes what the documented route
 * would (the envelope's security headers, request id, ETag and 304, the metrics) and leaves
 * everything else to it: a query in any other spelling (so validation and its 400s stay the
 * schema's), a cross-origin request (CORS), HEAD, a view miss, a dead feed.
 */
export function createHomeHotPath(deps: {
  home: HomeService;
  envelope: Envelope;
  metrics: HttpMetrics;
  headersOf: HomeHeadersOf;
}): HotListener {
  const { home, envelope, metrics, headersOf } = deps;
  return (req, res) => {
    const url = req.url;
    if (req.method !== 'GET' || !url?.startsWith(PREFIX) || req.headers.origin !== undefined) return false;
    const m = CANONICAL.exec(url.slice(PREFIX.length));
    if (!m) return false;
    const t0 = performance.now();
    const userId = Number(m[1]);
    const answer = userId <= MAX_ID ? home.cached(userId) : undefined;
    const h = answer && headersOf(answer);
    if (!h) return false;
    const same = matchesEtag(req.headers['if-none-match'], answer.etag);
    const status = same ? 304 : 200;
    const given = req.headers['x-request-id'];
    const id = envelope.requestIdFrom(typeof given === 'string' ? given : undefined);
    res.writeHead(status, [...(same ? h.sameList : h.okList), 'x-request-id', id]);
    res.end(same ? undefined : answer.bytes);
    metrics.record('GET', HOME_PATH, status, (performance.now() - t0) / 1000);
    return true;
  };
}
