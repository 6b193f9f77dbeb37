import { TransientError } from '../../core/errors.ts';
import type { Recommendation } from '../../streams/recommendations/recommendation.ts';
import type { HomeBody } from '../schemas/home.ts';
import type { ColdStart } from './cold-start.ts';
import { createLru } from './lru.ts';
import type { RecommendationRows } from './recommendation-rows.ts';
import { GUEST_NICKNAME, isNewer, renderColdStart, renderHome, type ImageUrlOf } from './render-home.ts';

/** One shopper in the view: what the database said, and the newest value seen from either side. */
interface Entry {
  nickname?: string;
  known?: boolean;
  rec?: Recommendation;
  body?: HomeBody;
  /** body as UTF-8 JSON, made once: stringify was a tenth of a /home request's CPU. */
  bytes?: Buffer;
  /** When the nickname was read from the database (ms); a body older than the TTL is re-read. */
  loadedAt: number;
}

export interface HomeService {
  home(userId: number): Promise<HomeBody>;
  /** The same answer as UTF-8 JSON, kept with the view entry so a hot read neither stringifies nor encodes. */
  homeBytes(userId: number): Promise<Buffer>;
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
  /** How long a nickname read from the database is trusted. */
  ttlMs?: number;
}

/**
 * The hot read. With a live feed, /home is answered from a bounded in-process view whose
 * recommendations are pushed by recommendations.v1; a miss (or a dead feed) reads the
 * database. When the database is down, the last answer for that shopper is served instead.
 */
export function createHomeService(deps: HomeServiceDeps): HomeService {
  const ttl = deps.ttlMs ?? 60_000;
  const view = createLru<number, Entry>(deps.capacity);

  const render = async (e: Entry): Promise<HomeBody> => {
    const nickname = e.nickname ?? GUEST_NICKNAME;
    const fallback = await deps.coldStart.pick();
    return e.rec ? renderHome(nickname, e.rec, deps.imageUrl, fallback) : renderColdStart(nickname, fallback);
  };

  const load = async (userId: number): Promise<HomeBody> => {
    let row;
    try {
      row = await deps.rows.find(userId);
    } catch (err) {
      const last = view.peek(userId);
      if (last?.body) return last.body;
      if (last?.nickname !== undefined) return render(last);
      throw new TransientError('the shop database is unavailable', { cause: err });
    }
    const e: Entry = view.peek(userId) ?? { loadedAt: 0 };
    e.nickname = row?.nickname ?? GUEST_NICKNAME;
    e.known = row !== null;
    if (row?.recommendation && isNewer(row.recommendation, e.rec)) e.rec = row.recommendation;
    e.loadedAt = deps.clock().getTime();
    e.body = await render(e);
    e.bytes = undefined;
    view.set(userId, e);
    return e.body;
  };

  const home = async (userId: number): Promise<HomeBody> => {
    const e = view.get(userId);
    const fresh = e?.body && deps.clock().getTime() - e.loadedAt < ttl;
    if (fresh && deps.viewLive()) return e.body!;
    return load(userId);
  };

  return {
    home,
    async homeBytes(userId) {
      const body = await home(userId);
      const e = view.peek(userId);
      const bytes = () => Buffer.from(JSON.stringify(body), 'utf8');
      if (e?.body !== body) return bytes();
      return (e.bytes ??= bytes());
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
      // Re-rendered on the next read (render needs the async popularity pick).
      e.body = undefined;
      e.bytes = undefined;
      view.set(rec.userId, e);
    },
    forget: (userId) => view.delete(userId),
  };
}
