import { describe, expect, it } from 'vitest';
import { compareOnline, type Interaction, type OrderSeen, type RecSeen } from './online-comparison.ts';
import { createOnlineTally } from './online-tally.ts';

const CATS = ['Apparel', 'Nest', 'Office', 'Drinkware', 'Bags', 'Lifestyle'];

/** A small deterministic world: recommendations and orders for a few shoppers over time. */
function world(seed: number) {
  let x = seed;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = () => CATS[Math.floor(rnd() * CATS.length)]!;
  const recs: RecSeen[] = [];
  const orders: OrderSeen[] = [];
  const interactions: Interaction[] = [];
  for (let t = 0; t < 400; t++) {
    const userId = 1 + Math.floor(rnd() * 8);
    const r = rnd();
    if (r < 0.4) {
      const topic = rnd() < 0.7 ? 'champion' : 'shadow';
      recs.push({
        topic,
        version: `${topic}-v${1 + Math.floor(rnd() * 2)}`,
        userId,
        producedAt: t,
        top3: [pick(), pick(), pick()],
      });
    } else if (r < 0.7) orders.push({ userId, placedAt: t + 0.5, categories: [pick()] });
    else
      interactions.push({
        modelVersion: rnd() < 0.5 ? 'champion-v1' : 'shadow-v2',
        type: rnd() < 0.8 ? 'impression' : 'click',
      });
  }
  return { recs, orders, interactions };
}

describe('the incremental online tally', () => {
  it('gives compareOnline’s answer when fed in time order', () => {
    for (const seed of [1, 2, 3]) {
      const w = world(seed);
      const tally = createOnlineTally();
      const events = [
        ...w.recs.map((r) => ({ at: r.producedAt, feed: () => tally.recommendation(r) })),
        ...w.orders.map((o) => ({ at: o.placedAt, feed: () => tally.order(o) })),
      ].sort((a, b) => a.at - b.at);
      for (const e of events) e.feed();
      for (const i of w.interactions) tally.interaction(i);
      const batch = compareOnline(w.recs, w.orders, w.interactions);
      expect(batch.some((v) => v.followed > 0 && v.hits > 0)).toBe(true);
      expect(tally.versions()).toEqual(batch);
    }
  });

  it('judges a recommendation once, on the first order that follows it', () => {
    const tally = createOnlineTally();
    tally.recommendation({
      topic: 'champion',
      version: 'v1',
      userId: 1,
      producedAt: 10,
      top3: ['Bags', 'Nest', 'Office'],
    });
    tally.order({ userId: 1, placedAt: 5, categories: ['Bags'] });
    tally.order({ userId: 1, placedAt: 20, categories: ['Drinkware'] });
    tally.order({ userId: 1, placedAt: 30, categories: ['Bags'] });
    expect(tally.versions()[0]).toMatchObject({ followed: 1, hits: 0, hitRate: 0 });
    tally.interaction({ modelVersion: 'popularity', type: 'impression' });
    expect(tally.interactions().get('popularity')).toEqual({ impressions: 1, clicks: 0 });
  });
});
