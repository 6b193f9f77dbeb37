import { describe, expect, it } from 'vitest';
import { waitFor } from '../../core/wait-for.ts';
import { NOW, recommendation, SOLD } from '../testing/fake-deps.ts';
import { createHomeService } from './home-service.ts';
import { pickPopular } from './popular-products.ts';
import type { ShopperRow } from './recommendation-rows.ts';

function setup() {
  const db = {
    rows: new Map<number, ShopperRow>([[1, { nickname: 'ada', recommendation: recommendation(1) }]]),
    reads: 0,
    down: false,
  };
  let now = NOW.getTime();
  const imageUrl = (id: number) => `/img/${id}`;
  const home = createHomeService({
    rows: {
      find: async (id) => {
        db.reads++;
        if (db.down) throw new Error('connect ECONNREFUSED');
        return db.rows.get(id) ?? null;
      },
    },
    coldStart: { pick: async () => pickPopular(SOLD, imageUrl, NOW) },
    imageUrl,
    clock: () => new Date(now),
    capacity: 10,
    viewLive: () => true,
    ttlMs: 1_000,
  });
  return { db, home, advance: (ms: number) => (now += ms) };
}

describe('the /home view', () => {
  it('keeps answering a shopper whose nickname is stale, and re-reads it once in the background', async () => {
    const { db, home, advance } = setup();
    const first = await home.answer(1);
    expect(home.cached(1)).toBe(first);
    db.rows.set(1, { nickname: 'ada lovelace', recommendation: recommendation(1) });
    advance(1_001);
    expect(home.cached(1)).toBe(first);
    expect(home.cached(1)).toBe(first);
    await waitFor(async () => home.cached(1)?.body.user_nickname === 'ada lovelace', {
      timeoutMs: 2_000,
      intervalMs: 5,
      what: 'the re-read',
    });
    expect(db.reads).toBe(2);
    expect(home.cached(1)!.etag).not.toBe(first.etag);
  });

  it('keeps the last answer when the background re-read fails, and tries again a TTL later', async () => {
    const { db, home, advance } = setup();
    const first = await home.answer(1);
    db.down = true;
    advance(1_001);
    expect(home.cached(1)).toBe(first);
    await waitFor(async () => db.reads === 2, { timeoutMs: 2_000, intervalMs: 5, what: 'the re-read' });
    await new Promise((r) => setTimeout(r, 10));
    expect(home.cached(1)).toBe(first);
    expect(db.reads).toBe(2);
  });

  it('renders a value from the stream at once, so the next read needs neither the database nor a render', async () => {
    const { db, home } = setup();
    await home.answer(1);
    const newer = recommendation(1, {
      recommendationId: '0b9f7a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
      sourceTs: '2026-11-29T10:00:01.000Z',
    });
    home.accept(newer);
    expect(home.cached(1)).toBeUndefined();
    await waitFor(async () => home.cached(1) !== undefined, { timeoutMs: 2_000, intervalMs: 1, what: 'the render' });
    expect(home.cached(1)!.body.recommendation_id).toBe(newer.recommendationId);
    expect(db.reads).toBe(1);
    // A shopper the view has never read waits for their first read (their nickname comes from the database).
    home.accept(recommendation(2));
    expect(home.cached(2)).toBeUndefined();
  });
});
