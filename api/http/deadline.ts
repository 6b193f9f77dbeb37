import type { Context } from 'hono';
import type { HTTPException } from 'hono/http-exception';

export interface Deadlines {
  /** Runs `work`, rejecting with the timeout exception if it has not settled `ms` after the start. */
  run(c: Context, work: Promise<void>): Promise<void>;
  stop(): void;
}

interface Pending {
  deadline: number;
  expire(): void;
}

/**
 * Request timeouts without a timer per request: Hono's timeout() arms and clears a setTimeout and
 * races two promises on every request, which the profile of /recommendations/home showed as a
 * real share of a request's CPU. Here one coarse sweep (a quarter of the timeout, at most 250 ms)
 * expires what is overdue, so a request times out between `ms` and `ms` plus one sweep.
 */
export function createDeadlines(ms: number, exception: (c: Context) => HTTPException): Deadlines {
  const pending = new Set<Pending>();
  const sweep = setInterval(
    () => {
      const now = performance.now();
      for (const p of pending) if (p.deadline <= now) p.expire();
    },
    Math.max(10, Math.min(250, ms / 4)),
  );
  sweep.unref();
  return {
    run: (c, work) =>
      new Promise<void>((resolve, reject) => {
        const p: Pending = {
          deadline: performance.now() + ms,
          expire() {
            pending.delete(p);
            reject(exception(c));
          },
        };
        pending.add(p);
        work.then(
          () => (pending.delete(p), resolve()),
          (err: unknown) => (pending.delete(p), reject(err)),
        );
      }),
    stop: () => clearInterval(sweep),
  };
}
