import type { Envelope } from '../http/envelope.ts';
import { matchesEtag, type HomeAnswer } from '../home/home-answer.ts';

export const HOME_PATH = '/recommendations/home';

/** Per-shopper answers: a browser may keep one but must ask again (with If-None-Match) before reuse. */
export const HOME_CACHE_CONTROL = 'private, no-cache';

/**
 * One answer's response headers for 200 and for 304: as header objects (for a Response) and as
 * Node's flat [name, value, …] lists, the 200 one with its content-length (for `writeHead`).
 */
export interface HomeHeaders {
  ok: Readonly<Record<string, string>>;
  same: Readonly<Record<string, string>>;
  okList: string[];
  sameList: string[];
}

/** The headers of an answer; undefined until the envelope is ready (a moment after start). */
export type HomeHeadersOf = (answer: HomeAnswer) => HomeHeaders | undefined;

const flat = (h: Readonly<Record<string, string>>) => Object.entries(h).flat();

/**
 * Every /home response carries its ETag, so a client can revalidate whichever path answered it.
 * The headers of each answer are put together once, with the answer, for both paths.
 */
export function createHomeHeaders(envelope: Envelope): HomeHeadersOf {
  const cache = new WeakMap<HomeAnswer, HomeHeaders>();
  return (answer) => {
    let h = cache.get(answer);
    if (h) return h;
    const common = { etag: answer.etag, 'cache-control': HOME_CACHE_CONTROL };
    const ok = envelope.template({ 'content-type': 'application/json', ...common });
    const same = envelope.template(common);
    if (!ok || !same) return undefined;
    const okList = flat({ ...ok, 'content-length': String(answer.bytes.length) });
    cache.set(answer, (h = { ok, same, okList, sameList: flat(same) }));
    return h;
  };
}

/** The /home answer as a response, or a 304 when the client already holds these bytes. */
export type HomeResponder = (
  requestId: string,
  answer: HomeAnswer,
  ifNoneMatch: string | undefined,
) => Response | undefined;

export function createHomeResponder(envelope: Envelope, headersOf: HomeHeadersOf): HomeResponder {
  return (requestId, answer, ifNoneMatch) => {
    const h = headersOf(answer);
    if (!h) return undefined;
    return matchesEtag(ifNoneMatch, answer.etag)
      ? envelope.fromTemplate(h.same, requestId, 304, null)
      : envelope.fromTemplate(h.ok, requestId, 200, answer.bytes);
  };
}
