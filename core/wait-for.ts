import { setTimeout as delay } from 'node:timers/promises';
import { AppError, TransientError } from './errors.ts';

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** What is awaited, for the timeout message; a function is read when the wait times out. */
  what: string | (() => string);
}

/**
 * Polls `probe` until it returns a value other than undefined/false.
 * The last probe error is kept as the cause, so a timeout says why; a non-retriable
 * AppError from the probe ends the wait at once.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined | false>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let interval = opts.intervalMs ?? 100;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      // Our own non-retriable errors (a FAILED connector, a bad config) will not heal by waiting.
      if (err instanceof AppError && !err.retriable) throw err;
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      const what = typeof opts.what === 'function' ? opts.what() : opts.what;
      throw new TransientError(`timed out after ${opts.timeoutMs} ms waiting for ${what}${why}`, { cause: lastError });
    }
    await delay(interval);
    interval = Math.min(interval * 1.5, 1000);
  }
}
