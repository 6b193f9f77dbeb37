import { setTimeout as delay } from 'node:timers/promises';
import { AppError, isRetriable } from './errors.ts';
import type { Logger } from './logger.ts';

export interface RetryDeps {
  logger: Logger;
  /** Called between attempts, e.g. the consumer heartbeat, so a long outage does not cost the group membership. */
  onWait?: () => Promise<void>;
  /** Stop retrying when this turns false (shutting down); the work is then redone after restart. */
  keepGoing?: () => boolean;
  onRetry?: () => void;
  maxDelayMs?: number;
}

/** Retries transient failures forever with capped exponential backoff; never skips the work. */
export async function retryTransient<T>(what: string, fn: () => Promise<T>, deps: RetryDeps): Promise<T> {
  let wait = 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetriable(err)) throw err;
      if (deps.keepGoing && !deps.keepGoing()) throw new AppError(`${what}: stopped while retrying`, { cause: err });
      deps.onRetry?.();
      deps.logger.warn('transient failure, retrying', { what, attempt, waitMs: wait, error: err as Error });
      await delay(wait);
      await deps.onWait?.().catch(() => {});
      wait = Math.min(wait * 2, deps.maxDelayMs ?? 5_000);
    }
  }
}
