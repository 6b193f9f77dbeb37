import { describe, expect, it } from 'vitest';
import { homeRecommendationsSchema } from '../../web/src/lib/api-types.ts';
import { createApp } from '../app.ts';
import { createFakeDeps, createFakeShop, recommendation } from '../testing/fake-deps.ts';

/** Reads the stream until `done` holds for the text so far (the fake feed pushes synchronously). */
async function readUntil(res: Response, done: (text: string) => boolean): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!done(text)) {
    const { value, done: end } = await reader.read();
    if (end) break;
    text += decoder.decode(value);
  }
  await reader.cancel();
  return text;
}

describe('GET /recommendations/stream', () => {
  it("pushes the shopper's new recommendation as a `recommendation` event carrying the /home body", async () => {
    const deps = createFakeDeps(createFakeShop(), { keepAliveMs: 20 });
    const { app } = createApp(deps);
    const res = await app.request('/recommendations/stream?user_id=1', {
      headers: { origin: 'http://localhost:5173' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const rec = recommendation(1, { recommendationId: '0b9f7a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b' });
    setTimeout(() => {
      deps.feed.publish(2, recommendation(2));
      deps.feed.publish(1, rec);
    }, 30);
    const text = await readUntil(res, (t) => t.includes('event: recommendation') && t.endsWith('\n\n'));
    expect(text).toContain(': ping');
    const data = /event: recommendation\ndata: (.*)\nid: (.*)\n/.exec(text);
    expect(data?.[2]).toBe(rec.recommendationId);
    const body = homeRecommendationsSchema.parse(JSON.parse(data![1]!));
    expect(body).toMatchObject({ user_nickname: 'ada', recommendation_id: rec.recommendationId });
    expect(text.match(/event: recommendation/g)).toHaveLength(1);
  });

  it('refuses a bad user_id before opening a stream', async () => {
    const { app } = createApp(createFakeDeps());
    const res = await app.request('/recommendations/stream?user_id=-4');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('drops the subscription when the client goes away', async () => {
    const deps = createFakeDeps();
    const { app } = createApp(deps);
    const res = await app.request('/recommendations/stream?user_id=1');
    const reader = res.body!.getReader();
    await reader.read();
    expect(deps.feed.count()).toBe(1);
    await reader.cancel();
    await expect.poll(() => deps.feed.count()).toBe(0);
  });
});
