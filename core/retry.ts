import pRetry from 'p-retry';
import { AppError, isRetriable } from './errors.ts';
import type { Logger } from './logger.ts';

export interface RetryOptions {
  logger: Logger;
  /** Default: forever, for work that must never be skipped. */
  retries?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Aborts the wait between attempts (shutting down); the call then fails with "stopped while retrying". */
  signal?: AbortSignal;
  /** Checked before each wait, for conditions that have no signal (a consumer that lost its partitions). */
  keepGoing?: () => boolean;
  /** Called before each wait, e.g. the consumer heartbeat, so a long outage does not cost the group membership. */
  onWait?: () => Promise<void>;
  onRetry?: () => void;
}

/**
 * Retries the errors isRetriable accepts with capped exponential backoff; anything else is thrown
 * at once. The waits are randomized (x1 to x2) so concurrent writers do not retry in lockstep.
 */
export async function retryTransient<T>(what: string, fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  let last: unknown;
  let done: { value: T } | undefined;
  try {
    return await pRetry(
      async () => {
        const value = await fn();
        // p-retry throws if the signal fired during a successful attempt; the work is done, keep it.
        done = { value };
        return value;
      },
      {
        retries: opts.retries ?? Infinity,
        minTimeout: opts.minDelayMs ?? 100,
        maxTimeout: opts.maxDelayMs ?? 5_000,
        randomize: true,
        signal: opts.signal,
        shouldRetry: async ({ error, attemptNumber }) => {
          last = error;
          if (!isRetriable(error)) return false;
          if (opts.keepGoing && !opts.keepGoing()) throw stopped(what, error);
          opts.onRetry?.();
          opts.logger.warn('transient failure, retrying', { what, attempt: attemptNumber, error });
          await opts.onWait?.().catch(() => {});
          return true;
        },
      },
    );
  } catch (err) {
    if (done) return done.value;
    if (opts.signal?.aborted && err === opts.signal.reason) throw stopped(what, last);
    throw err;
  }
}

const stopped = (what: string, cause: unknown) => new AppError(`${what}: stopped while retrying`, { cause });
