import { readJson } from '../testing/read-json.ts';
import { describe, expect, it } from 'vitest';
import { jobAcceptedSchema, opsOverviewSchema } from '../../web/src/lib/api-types.ts';
import { jobEventSchema } from '../../streams/control/job-event.ts';
import { createApp } from '../app.ts';
import { createFakeDeps, createFakeShop, OPS_TOKEN } from '../testing/fake-deps.ts';

const auth = { authorization: `Bearer ${OPS_TOKEN}` };
const postJson = (headers: Record<string, string> = auth, body = '{}') => ({
  method: 'POST',
  headers: { ...headers, 'content-type': 'application/json' },
  body,
});

describe('ops endpoints', () => {
  it.each([
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer nope' }],
    ['another scheme', { authorization: `Basic ${OPS_TOKEN}` }],
    ['a token with a suffix', { authorization: `Bearer ${OPS_TOKEN}x` }],
  ])('answer 401 problem+json with %s', async (_what, headers) => {
    const { app } = createApp(createFakeDeps());
    for (const [path, init] of [
      ['/ops/overview', { headers }],
      ['/ops/jobs/sweep', postJson(headers as Record<string, string>)],
      ['/ops/models/rollback', postJson(headers as Record<string, string>)],
    ] as const) {
      const res = await app.request(path, init);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('GET /ops/overview answers the ops page contract', async () => {
    const { app } = createApp(createFakeDeps());
    const res = await app.request('/ops/overview', { headers: auth });
    expect(res.status).toBe(200);
    const o = opsOverviewSchema.parse(await readJson(res));
    expect(o.freshness.count).toBe(3);
    expect(o.lag).toEqual([{ group: 'features', topic: 'cdc.shop.orders', lag: 3 }]);
  });

  it('keeps answering when one section fails', async () => {
    const deps = createFakeDeps();
    deps.ops.kafka.lag = async () => {
      throw new Error('broker away');
    };
    const res = await createApp(deps).app.request('/ops/overview', { headers: auth });
    expect(res.status).toBe(200);
    expect(opsOverviewSchema.parse(await readJson(res)).lag).toEqual([]);
  });

  it.each([
    ['/ops/jobs/sweep', 'daily-sweep'],
    ['/ops/jobs/retrain', 'retrain'],
  ])('POST %s publishes a requested %s and answers 202 with its run id', async (path, job) => {
    const shop = createFakeShop();
    const { app } = createApp(createFakeDeps(shop));
    const res = await app.request(path, postJson());
    expect(res.status).toBe(202);
    const { run_id } = jobAcceptedSchema.parse(await readJson(res));
    expect(run_id).toMatch(new RegExp(`^${job}:manual-`));
    expect(shop.published).toHaveLength(1);
    const e = jobEventSchema.parse(shop.published[0]!.value);
    expect(e).toMatchObject({ job, runId: run_id, status: 'requested', requestedBy: 'api' });
    expect(shop.published[0]).toMatchObject({ topic: 'control.jobs.v1', key: `${run_id}:requested` });
  });

  it('promote answers 200 when the gate says yes and 409 with the reason when it says no', async () => {
    const shop = createFakeShop();
    const { app } = createApp(createFakeDeps(shop));
    const ok = await app.request('/ops/models/wd-2/promote', postJson());
    expect(ok.status).toBe(200);
    expect(await readJson(ok)).toEqual({ version: 'wd-2', promoted: true, reason: 'replaces wd-1' });
    shop.promoteAnswer = { promoted: false, reason: 'ndcg@3 does not beat the champion' };
    const no = await app.request('/ops/models/wd-2/promote', postJson());
    expect(no.status).toBe(409);
    expect((await readJson(no)).detail).toBe('ndcg@3 does not beat the champion');
    expect((await app.request('/ops/models/..%2Fetc/promote', postJson())).status).toBe(400);
  });

  it('rollback answers the version now in service', async () => {
    const { app } = createApp(createFakeDeps());
    const res = await app.request('/ops/models/rollback', postJson());
    expect(res.status).toBe(200);
    expect((await readJson(res)).version).toBe('wd-1');
  });
});
