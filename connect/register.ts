import { setTimeout as delay } from 'node:timers/promises';
import { AppError, NotFoundError, TransientError } from '../core/errors.ts';
import { isRunning, type ConnectClient, type ConnectorSpec } from './connector.ts';

export interface RegisterOptions {
  timeoutMs: number;
  intervalMs?: number;
  sleep?: (ms: number) => Promise<unknown>;
  log?: (line: string) => void;
}

/**
 * Creates or updates the connector (PUT /connectors/{name}/config is idempotent, so an edited
 * JSON reaches a running Connect) and returns only once the connector and its tasks run.
 * Connect still starting (unreachable, Jetty's 404 before the resources exist, 409 during a
 * rebalance) is waited out; a rejected config (400) or a FAILED task ends it at once.
 */
export async function registerAndWait(
  client: ConnectClient,
  spec: ConnectorSpec,
  opts: RegisterOptions,
): Promise<void> {
  const sleep = opts.sleep ?? delay;
  const log = opts.log ?? (() => {});
  const intervalMs = opts.intervalMs ?? 2000;
  let waited = 0;
  const retry = async (what: string, err: unknown) => {
    if (waited >= opts.timeoutMs) {
      throw new TransientError(`gave up after ${opts.timeoutMs} ms waiting for ${what}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    await sleep(intervalMs);
    waited += intervalMs;
  };
  const waitable = (err: unknown) => err instanceof NotFoundError || (err instanceof AppError && err.retriable);

  for (;;) {
    try {
      await client.put(spec);
      break;
    } catch (err) {
      if (!waitable(err)) throw err;
      await retry(`PUT /connectors/${spec.name}/config`, err);
    }
  }
  log(`connector ${spec.name}: config accepted`);
  for (;;) {
    let last: unknown = new Error('connector or tasks not RUNNING yet');
    try {
      if (isRunning(await client.status(spec.name))) break;
    } catch (err) {
      if (!waitable(err)) throw err;
      last = err;
    }
    await retry(`connector ${spec.name} RUNNING`, last);
  }
  log(`connector ${spec.name}: RUNNING`);
}
