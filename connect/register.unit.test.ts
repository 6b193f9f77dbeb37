import { describe, expect, it } from 'vitest';
import { NotFoundError, TransientError, ValidationError } from '../core/errors.ts';
import type { ConnectClient, ConnectorStatus } from './connector.ts';
import { registerAndWait } from './register.ts';

const spec = { name: 'shop-cdc', config: { 'connector.class': 'x' } };
const status = (connector: string, ...tasks: string[]): ConnectorStatus => ({
  name: 'shop-cdc',
  connector: { state: connector },
  tasks: tasks.map((state, id) => ({ id, state, trace: 'java.sql.SQLException: Access denied\n\tat x' })),
});

/** A client whose put/status answer from scripts, one entry per call (the last repeats). */
function fake(puts: (Error | null)[], statuses: (ConnectorStatus | Error)[]) {
  const calls = { put: 0, status: 0 };
  const next = <T>(list: T[], i: number) => list[Math.min(i, list.length - 1)]!;
  const client: ConnectClient = {
    put: async () => {
      const r = next(puts, calls.put++);
      if (r) throw r;
    },
    status: async () => {
      const r = next(statuses, calls.status++);
      if (r instanceof Error) throw r;
      return r;
    },
    list: async () => [],
    remove: async () => {},
    restart: async () => {},
    stop: async () => {},
    resume: async () => {},
    resetOffsets: async () => {},
  };
  return { client, calls };
}
const opts = { timeoutMs: 100, intervalMs: 10, sleep: async () => {} };

describe('registerAndWait', () => {
  it('waits out a starting worker and a rebalance, then waits for RUNNING', async () => {
    const { client, calls } = fake(
      [new TransientError('unreachable'), new NotFoundError('jetty 404'), new TransientError('409 rebalance'), null],
      [new NotFoundError('not yet'), status('RUNNING'), status('RUNNING', 'RUNNING')],
    );
    await registerAndWait(client, spec, opts);
    expect(calls).toEqual({ put: 4, status: 3 });
  });
  it('fails at once when Connect rejects the config', async () => {
    const { client, calls } = fake([new ValidationError('PUT: 400 Public Key Retrieval is not allowed')], []);
    await expect(registerAndWait(client, spec, opts)).rejects.toThrow(/Public Key Retrieval/);
    expect(calls.put).toBe(1);
  });
  it('fails at once with the trace when a task FAILED', async () => {
    const { client } = fake([null], [status('RUNNING', 'FAILED')]);
    await expect(registerAndWait(client, spec, opts)).rejects.toThrow(/failed: java.sql.SQLException: Access denied/);
  });
  it('gives up after the timeout when the connector never runs', async () => {
    const { client, calls } = fake([null], [status('UNASSIGNED', 'UNASSIGNED')]);
    await expect(registerAndWait(client, spec, opts)).rejects.toThrow(
      /gave up after 100 ms waiting for connector shop-cdc RUNNING/,
    );
    expect(calls.status).toBe(11);
  });
});
