import { describe, expect, it } from 'vitest';
import { TransientError } from '../core/errors.ts';
import { createConnectClient } from './connector.ts';

describe('connect REST client timeout', () => {
  it('gives up on a worker that never answers, as a transient failure', async () => {
    const hang = ((_url: string, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof fetch;
    const started = Date.now();
    const err = await createConnectClient({ url: 'http://connect', fetch: hang, timeoutMs: 50 })
      .list()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as Error).cause).toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
