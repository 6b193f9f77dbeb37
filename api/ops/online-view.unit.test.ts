import { describe, expect, it } from 'vitest';
import { opsOverviewSchema } from '../../web/src/lib/api-types.ts';
import { createApp } from '../app.ts';
import { createFakeDeps, OPS_TOKEN, recommendation } from '../testing/fake-deps.ts';
import { readJson } from '../testing/read-json.ts';
import { createOnlineView } from './online-view.ts';

const event = (type: 'impression' | 'click', modelVersion: string | null, n: number) => ({
  eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  type,
  userId: 1,
  recommendationId: null,
  modelVersion,
  productId: 21,
  position: 0,
  at: '2026-11-29T10:00:00.000Z',
});

describe('online results per model version on the ops page', () => {
  it('shows clicks, impressions and the orders that followed each version, from the view the consumers feed', async () => {
    const online = createOnlineView();
    const at = (iso: string) => Date.parse(iso);
    // Top category Drinkware for both shoppers; the challenger in shadow recommends Apparel.
    online.recommendation('champion', recommendation(1, { modelVersion: 'wd-2' }));
    online.recommendation('champion', recommendation(2, { modelVersion: 'wd-2' }));
    const shadow = recommendation(1, { modelVersion: 'wd-3' });
    shadow.categories = [{ ...shadow.categories[0]!, categoryId: 1, name: 'Apparel' }];
    online.recommendation('shadow', shadow);
    [1, 2, 3, 4].forEach((n) => online.event(event('impression', 'wd-2', n)));
    online.event(event('click', 'wd-2', 5));
    online.event(event('impression', 'popularity', 6));
    online.order({ userId: 1, placedAt: at('2026-11-29T10:05:00Z'), categories: ['Drinkware'] });
    online.order({ userId: 2, placedAt: at('2026-11-29T10:05:00Z'), categories: ['Office'] });
    // Before any recommendation: attributed to none.
    online.order({ userId: 1, placedAt: at('2026-11-29T09:00:00Z'), categories: ['Drinkware'] });

    const deps = createFakeDeps();
    deps.ops.online = () => online.rows();
    const res = await createApp(deps).app.request('/ops/overview', {
      headers: { authorization: `Bearer ${OPS_TOKEN}` },
    });
    expect(res.status).toBe(200);
    const body = opsOverviewSchema.parse(await readJson(res));
    expect(body.online).toEqual([
      {
        model_version: 'wd-2',
        topic: 'champion',
        recommendations: 2,
        impressions: 4,
        clicks: 1,
        ctr: 0.25,
        orders: 2,
        hits: 1,
        hit_rate: 0.5,
      },
      {
        model_version: 'wd-3',
        topic: 'shadow',
        recommendations: 1,
        impressions: 0,
        clicks: 0,
        ctr: 0,
        orders: 1,
        hits: 0,
        hit_rate: 0,
      },
      {
        model_version: 'popularity',
        topic: null,
        recommendations: 0,
        impressions: 1,
        clicks: 0,
        ctr: 0,
        orders: 0,
        hits: 0,
        hit_rate: 0,
      },
    ]);
  });

  it('refuses a value that is not a recommendation or an event (the consumer logs and skips it)', () => {
    const online = createOnlineView();
    expect(() => online.recommendation('champion', { userId: 1 })).toThrow();
    expect(() => online.event({ type: 'purchase' })).toThrow();
    expect(online.rows()).toEqual([]);
  });
});
