import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { describe, expect, it, vi } from 'vitest';
import { createLiveness, watchConsumer } from './consumer-liveness.ts';

describe('consumer liveness', () => {
  const clock = () => {
    let t = 1_000_000;
    return { now: () => t, advance: (ms: number) => void (t += ms) };
  };

  it('is healthy while idle and heartbeating, however long since the last batch', () => {
    const c = clock();
    const l = createLiveness({ stallMs: 60_000, now: c.now });
    for (let i = 0; i < 10; i++) {
      c.advance(30_000);
      l.beat();
    }
    expect(l.check().ok).toBe(true);
  });
  it('is unhealthy when there is lag and nothing is committed for too long', () => {
    const c = clock();
    const l = createLiveness({ stallMs: 60_000, now: c.now });
    c.advance(120_000);
    l.beat();
    l.lag('orders/0', 40);
    expect(l.check().ok).toBe(true);
    c.advance(59_000);
    l.beat();
    expect(l.check().ok).toBe(true);
    c.advance(2_000);
    l.beat();
    expect(l.check()).toEqual({ ok: false, detail: '40 records behind, nothing committed for 61 s' });
    l.progressed();
    l.lag('orders/0', 0);
    expect(l.check().ok).toBe(true);
  });
  it('is unhealthy when fetches and heartbeats stop', () => {
    const c = clock();
    const l = createLiveness({ stallMs: 60_000, now: c.now });
    c.advance(61_000);
    expect(l.check()).toMatchObject({ ok: false, detail: expect.stringMatching(/no fetch or heartbeat/) });
  });
  it('is unhealthy for good once the consumer crashed', () => {
    const l = createLiveness({ stallMs: 60_000 });
    l.crashed(new Error('ER_NO_SUCH_TABLE'));
    l.beat();
    l.progressed();
    expect(l.check()).toEqual({ ok: false, detail: 'consumer crashed: ER_NO_SUCH_TABLE' });
  });

  it('turns a membership that went silent into one crash, so the supervisor restarts the process', async () => {
    const events = { FETCH: 'f', HEARTBEAT: 'h', COMMIT_OFFSETS: 'c', GROUP_JOIN: 'j', CRASH: 'x', STOP: 's' };
    const emitter = new EventEmitter();
    const consumer = { events, on: (e: string, fn: () => void) => emitter.on(e, fn) } as unknown as Consumer;
    const c = clock();
    const l = createLiveness({ stallMs: 60_000, now: c.now });
    const onCrash = vi.fn();
    watchConsumer(consumer, l, onCrash, { checkEveryMs: 5 });
    c.advance(30_000);
    emitter.emit('h');
    await new Promise((r) => setTimeout(r, 30));
    expect(onCrash).not.toHaveBeenCalled();
    c.advance(61_000);
    await vi.waitFor(() => expect(onCrash).toHaveBeenCalledTimes(1));
    await new Promise((r) => setTimeout(r, 30));
    expect(onCrash).toHaveBeenCalledTimes(1);
    expect(l.check()).toMatchObject({ ok: false, detail: expect.stringMatching(/consumer silent: no fetch/) });
    emitter.emit('s');
  });
});
