import { TransientError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { Recommendation } from '../../streams/recommendations/recommendation.ts';
import type { HomeBody } from '../schemas/home.ts';
import type { ColdStart } from './cold-start.ts';
import { homeAnswer, type HomeAnswer } from './home-answer.ts';
import { createLru } from './lru.ts';
import type { RecommendationRows } from './recommendation-rows.ts';
import { GUEST_NICKNAME, isNewer, renderColdStart, renderHome, type ImageUrlOf } from './render-home.ts';

/** One shopper in the view: what the database said, and the newest value seen from either side. */
interface Entry {
  nickname?: string;
  rec?: Recommendation;
  /** The rendered answer; it belongs to the entry only while `answer.from === rec`. */
  answer?: HomeAnswer & { from: Recommendation | undefined };
  /** When the nickname was read from the database (ms); older than the TTL is re-read in the background. */
  loadedAt: number;
  refreshing?: boolean;
}

export interface HomeService {
  /** The /home answer (body, its UTF-8 JSON, its ETag): from the view when it can, else the database. */
  answer(userId: number): Promise<HomeAnswer>;
  /**
   * The answer the view holds right now, without waiting for anything (the hot path); undefined
   * when the view cannot answer alone (a miss, a feed that is not live, a value not yet rendered).
   */
  cached(userId: number): HomeAnswer | undefined;
  /** The /home body for a value just consumed from recommendations.v1 (what the stream pushes). */
  bodyFor(rec: Recommendation): Promise<HomeBody>;
  /** A value from recommendations.v1: kept if newer, so the view never goes back in time. */
  accept(rec: Recommendation): void;
  /** A tombstone: the shopper is gone. */
  forget(userId: number): void;
}

export interface HomeServiceDeps {
  rows: RecommendationRows;
  coldStart: ColdStart;
  imageUrl: ImageUrlOf;
  clock: () => Date;
  capacity: number;
  /** Whether answers may come from the view: true only while the feed is consuming recommendations.v1. */
  viewLive: () => boolean;
  /** How long a nickname read from the database is trusted before a background re-read. */
  ttlMs?: number;
  logger?: Logger;
}

const current = (e: Entry | undefined) => (e?.answer && e.answer.from === e.rec ? e.answer : undefined);

/**
 * The hot read: an in-process materialized view. Recommendations are pushed into it by
 * recommendations.v1 (and rendered at once, so the next read finds bytes ready); nicknames come from
 * the database on a miss and are re-read in the background once older than the TTL, so a hit never
 * waits for the database. A dead feed sends every read to the database; when the database is down,
 * the last answer for that shopper is served instead.
 */
export function createHomeService(deps: HomeServiceDeps): HomeService {
  const ttl = deps.ttlMs ?? 60_000;
  const view = createLru<number, Entry>(deps.capacity);
  const now = () => deps.clock().getTime();

  const render = async (e: Entry): Promise<HomeBody> => {
    const nickname = e.nickname ?? GUEST_NICKNAME;
    const fallback = await deps.coldStart.pick();
    return e.rec ? renderHome(nickname, e.rec, deps.imageUrl, fallback) : renderColdStart(nickname, fallback);
  };

  /** Renders the entry's newest value into its answer (unless a newer one arrived meanwhile). */
  const settle = async (e: Entry): Promise<HomeAnswer> => {
    const from = e.rec;
    const body = await render(e);
    const answer = { ...homeAnswer(body), from };
    if (e.rec === from) e.answer = answer;
    return answer;
  };

  const read = async (userId: number): Promise<Entry> => {
    const row = await deps.rows.find(userId);
    const e: Entry = view.peek(userId) ?? { loadedAt: 0 };
    e.nickname = row?.nickname ?? GUEST_NICKNAME;
    if (row?.recommendation && isNewer(row.recommendation, e.rec)) e.rec = row.recommendation;
    e.loadedAt = now();
    view.set(userId, e);
    return e;
  };

  const load = async (userId: number): Promise<HomeAnswer> => {
    let e: Entry;
    try {
      e = await read(userId);
    } catch (err) {
      const last = view.peek(userId);
      const served = current(last);
      if (served) return served;
      if (last?.nickname !== undefined) return settle(last);
      if (last?.answer) return last.answer;
      throw new TransientError('the shop database is unavailable', { cause: err });
    }
    return settle(e);
  };

  /** A stale nickname is re-read once in the background; until then the view keeps answering. */
  const refresh = (userId: number, e: Entry): void => {
    if (e.refreshing) return;
    e.refreshing = true;
    read(userId)
      .then(settle)
      .catch((err: unknown) => {
        e.loadedAt = now();
        deps.logger?.warn('re-reading a shopper failed; the view keeps their last answer', { userId, err });
      })
      .finally(() => (e.refreshing = false));
  };

  const cached = (userId: number): HomeAnswer | undefined => {
    if (!deps.viewLive()) return undefined;
    const e = view.get(userId);
    const answer = current(e);
    if (answer && now() - e!.loadedAt >= ttl) refresh(userId, e!);
    return answer;
  };

  return {
    cached,
    async answer(userId) {
      const hit = cached(userId);
      if (hit) return hit;
      const e = view.peek(userId);
      // A value from the stream not rendered yet, for a shopper whose nickname the view knows.
      if (deps.viewLive() && e?.nickname !== undefined && now() - e.loadedAt < ttl) return settle(e);
      return load(userId);
    },
    async bodyFor(rec) {
      const e = view.peek(rec.userId);
      if (e?.nickname !== undefined) return render({ ...e, rec });
      await load(rec.userId).catch(() => undefined);
      return render({ ...(view.peek(rec.userId) ?? { loadedAt: 0 }), rec });
    },
    accept(rec) {
      const e = view.peek(rec.userId) ?? { loadedAt: 0 };
      if (!isNewer(rec, e.rec)) return;
      e.rec = rec;
      view.set(rec.userId, e);
      // Rendered now rather than on the next read, so that read is a hit; a shopper the view has no
      // nickname for waits for their first read.
      if (e.nickname !== undefined)
        settle(e).catch((err: unknown) => deps.logger?.warn('rendering a new recommendation failed', { err }));
    },
    forget: (userId) => view.delete(userId),
  };
}
