import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { createRecomputer } from './recomputer.ts';

const quiet = createLogger({ level: 'silent' });

/** A queue the drains empty: each drain step takes everything queued so far. */
function fakeQueue() {
  let queued = 0;
  const drains: number[] = [];
  return {
    add: (n: number) => void (queued += n),
    drains,
    drainOnce: async () => {
      await new Promise((r) => setTimeout(r, 5));
      const n = queued;
      queued = 0;
      if (n) drains.push(n);
      return { recomputed: n, more: false };
    },
  };
}

const recomputerOn = (q: ReturnType<typeof fakeQueue>, gatherMs?: number) =>
  createRecomputer({ drainOnce: q.drainOnce, onRecomputed: () => {}, onFatal: () => {}, logger: quiet, gatherMs });

describe('recomputer', () => {
  it('gathers the kicks of chunks that commit a few ms apart into one drain', async () => {
    const q = fakeQueue();
    const r = recomputerOn(q, 30);
    q.add(1);
    r.kick();
    await new Promise((res) => setTimeout(res, 10));
    q.add(1);
    r.kick();
    await r.run();
    expect(q.drains).toEqual([2]);
  });
  it('without a gathering time, drains at the first kick', async () => {
    const q = fakeQueue();
    const r = recomputerOn(q);
    q.add(1);
    r.kick();
    await new Promise((res) => setTimeout(res, 10));
    q.add(1);
    r.kick();
    await new Promise((res) => setTimeout(res, 50));
    await r.run();
    expect(q.drains).toEqual([1, 1]);
  });
  it('ends a drain at a step below its limit, and goes on while steps come back full', async () => {
    let left = 5;
    const steps: number[] = [];
    const r = createRecomputer({
      drainOnce: async () => {
        const n = Math.min(2, left);
        left -= n;
        steps.push(n);
        return { recomputed: n, more: n === 2 };
      },
      onRecomputed: () => {},
      onFatal: () => {},
      logger: quiet,
    });
    await r.run();
    expect(steps).toEqual([2, 2, 1]);
  });
  it('stop cancels a pending gather', async () => {
    const q = fakeQueue();
    const r = recomputerOn(q, 20);
    q.add(1);
    r.kick();
    await r.stop();
    await new Promise((res) => setTimeout(res, 40));
    expect(q.drains).toEqual([]);
  });
});
