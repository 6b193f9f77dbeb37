import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fixKafkajsIdleLoop, scheduleCheckPendingRequests } from './kafkajs-idle-fix.ts';

const queue = (o: { pending?: number; throttledUntil?: number } = {}) => {
  const q = {
    pending: Array.from({ length: o.pending ?? 0 }),
    throttledUntil: o.throttledUntil ?? -1,
    throttleCheckTimeoutId: null as NodeJS.Timeout | null,
    checks: 0,
    checkPendingRequests() {
      q.checks++;
      // kafkajs re-schedules at the end of every check: the loop the fix breaks.
      scheduleCheckPendingRequests.call(q);
    },
    scheduleCheckPendingRequests() {
      scheduleCheckPendingRequests.call(q);
    },
  };
  return q;
};

describe("kafkajs' request queue recheck", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('arms no timer with nothing pending and no throttle (kafkajs looped every 1 ms)', () => {
    const q = queue();
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
    vi.advanceTimersByTime(1_000);
    expect(q.checks).toBe(0);
  });

  it('rechecks every 10 ms while requests wait, and stops once none do', () => {
    const q = queue({ pending: 1 });
    q.scheduleCheckPendingRequests();
    vi.advanceTimersByTime(25);
    expect(q.checks).toBe(2);
    q.pending = [];
    vi.advanceTimersByTime(1_000);
    expect(q.checks).toBe(3);
  });

  it('wakes at the end of a throttle, pending or not', () => {
    const q = queue({ throttledUntil: Date.now() + 300 });
    q.scheduleCheckPendingRequests();
    vi.advanceTimersByTime(299);
    expect(q.checks).toBe(0);
    vi.advanceTimersByTime(1);
    expect(q.checks).toBe(1);
  });

  it("is installed on kafkajs' RequestQueue, once", () => {
    fixKafkajsIdleLoop();
    fixKafkajsIdleLoop();
    const require = createRequire(import.meta.url);
    const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as {
      prototype: { scheduleCheckPendingRequests: unknown };
    };
    expect(RequestQueue.prototype.scheduleCheckPendingRequests).toBe(scheduleCheckPendingRequests);
  });
});
