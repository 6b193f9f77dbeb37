import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError, TransientError, ValidationError } from './errors.ts';
import { silentLogger } from './logger.ts';
import { retryTransient } from './retry.ts';

/** Fails transiently `failures` times, then returns the attempt number. */
function flaky(failures: number) {
  let calls = 0;
  const fn = async () => {
    if (++calls <= failures) throw Object.assign(new Error(`deadlock ${calls}`), { code: 'ER_LOCK_DEADLOCK' });
    return calls;
  };
  return { fn, calls: () => calls };
}

afterEach(() => vi.restoreAllMocks());

describe('retryTransient', () => {
  it('waits with jittered exponential backoff, so concurrent writers do not retry in lockstep', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const delays: number[] = [];
    const real = globalThis.setTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((cb: () => void, ms?: number) => {
      delays.push(ms ?? 0);
      return real(cb, 0);
    }) as typeof setTimeout);
    const { fn } = flaky(3);
    expect(await retryTransient('x', fn, { logger: silentLogger, minDelayMs: 100, maxDelayMs: 500 })).toBe(4);
    // x1.5 from the jitter; the third wait is capped.
    expect(delays).toEqual([150, 300, 500]);
  });

  it('calls the heartbeat once per wait and carries on when it fails', async () => {
    const { fn } = flaky(2);
    const onWait = vi.fn(async () => {
      throw new Error('heartbeat refused');
    });
    const onRetry = vi.fn();
    await retryTransient('x', fn, { logger: silentLogger, minDelayMs: 1, maxDelayMs: 1, onWait, onRetry });
    expect(onWait).toHaveBeenCalledTimes(2);
    expect(onRetry).toHaveBeenCalledTimes(2);
  });

  it('throws a permanent error at once', async () => {
    let n = 0;
    const fail = async () => {
      n++;
      throw new ValidationError('bad');
    };
    await expect(retryTransient('x', fail, { logger: silentLogger })).rejects.toThrow(ValidationError);
    expect(n).toBe(1);
  });

  it('gives up after `retries` with the last error', async () => {
    const { fn, calls } = flaky(10);
    await expect(retryTransient('x', fn, { logger: silentLogger, retries: 2, minDelayMs: 1 })).rejects.toThrow(
      'deadlock 3',
    );
    expect(calls()).toBe(3);
  });

  it('ends a long wait when the signal aborts, naming the last failure as the cause', async () => {
    const abort = new AbortController();
    const started = Date.now();
    const down = async () => {
      setTimeout(() => abort.abort(), 20);
      throw new TransientError('database down');
    };
    const err = await retryTransient('apply batch', down, {
      logger: silentLogger,
      minDelayMs: 60_000,
      signal: abort.signal,
    }).catch((e: unknown) => e as AppError);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ message: 'apply batch: stopped while retrying', cause: { message: 'database down' } });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('keeps the result of an attempt that succeeded while the signal fired', async () => {
    const abort = new AbortController();
    const v = await retryTransient(
      'x',
      async () => {
        abort.abort();
        return 7;
      },
      { logger: silentLogger, signal: abort.signal },
    );
    expect(v).toBe(7);
  });

  it('stops when keepGoing turns false', async () => {
    const { fn, calls } = flaky(5);
    await expect(retryTransient('x', fn, { logger: silentLogger, keepGoing: () => false })).rejects.toThrow(
      /x: stopped while retrying/,
    );
    expect(calls()).toBe(1);
  });
});
