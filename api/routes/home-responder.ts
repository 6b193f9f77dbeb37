import type { Envelope } from '../http/envelope.ts';
import { matchesEtag, type HomeAnswer } from '../home/home-answer.ts';

export const HOME_PATH = '/recommendations/home';

/** Per-shopper answers: a browser may keep one but must ask again (with If-None-Match) before reuse. */
export const HOME_CACHE_CONTROL = 'private, no-cache';

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
      'cache-control': HOME_CACHE_CONTROL,
    });
    const same = envelope.template({ etag: answer.etag, 'cache-control': HOME_CACHE_CONTROL });
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
