import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FatalError } from '../../core/errors.ts';
import { cdcTopics } from '../../streams/cdc/topics.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import { applyBatch, type BatchDeps } from './apply-batch.ts';
import type { InboundMessage } from './inbound.ts';

const recorded: { topic: string; key: string; value: string | null }[] = JSON.parse(
  readFileSync(new URL('../../streams/cdc/fixtures/recorded-envelopes.json', import.meta.url), 'utf8'),
);
const serverError = (code: string, errno: number) =>
  Object.assign(new Error(`${code}: from the server`), { code, errno, sqlState: 'HY000' });

/** A store whose every statement fails as `fail` says (the statement's text and parameters in hand). */
function failingPool(fail: (sql: string, params: unknown[]) => Error | undefined): Pool {
  const conn = {
    query: async (sql: string, params: unknown[] = []) => {
      const err = /^SET (SESSION )?TRANSACTION/.test(sql) ? undefined : fail(sql, params);
      if (err) throw err;
      return [[], []];
    },
    beginTransaction: async () => {},
    commit: async () => {},
    rollback: async () => {},
    release: () => {},
  };
  return { getConnection: async () => conn } as unknown as Pool;
}

const user = recorded.find((r) => r.topic === 'cdc.shop.users' && r.value)!;
/** Six shopper creates, ids 7001..7006. */
const msgs: InboundMessage[] = Array.from({ length: 6 }, (_, i) => {
  const env = JSON.parse(user.value!);
  env.after.id = 7001 + i;
  return {
    topic: user.topic,
    partition: 0,
    offset: String(i),
    key: Buffer.from(JSON.stringify({ id: 7001 + i })),
    value: Buffer.from(JSON.stringify(env)),
    headers: {},
  };
});
const deps = (pool: Pool): BatchDeps => ({
  pool,
  topics: cdcTopics(),
  numCategories: 16,
  modelIndexOf: () => 0,
  trackPending: false,
  recompute: false,
});

describe('a chunk the store rejects', () => {
  it.each([
    ['a dropped table', 'ER_NO_SUCH_TABLE', 1146],
    ['a revoked grant', 'ER_TABLEACCESS_DENIED_ERROR', 1142],
  ])('stops on %s instead of dead-lettering every event', async (_what, code, errno) => {
    const pool = failingPool(() => serverError(code, errno));
    await expect(applyBatch(msgs, deps(pool))).rejects.toBeInstanceOf(FatalError);
  });
  it('passes a transient failure (read-only store) up to be retried', async () => {
    const pool = failingPool(() => serverError('ER_OPTION_PREVENTS_STATEMENT', 1290));
    await expect(applyBatch(msgs, deps(pool))).rejects.toMatchObject({ code: 'ER_OPTION_PREVENTS_STATEMENT' });
  });
  it('stops when most of a chunk fails with the same data error: the store is at fault', async () => {
    const pool = failingPool(() => serverError('ER_DUP_ENTRY', 1062));
    await expect(applyBatch(msgs, deps(pool))).rejects.toThrow(/6 of 6 events .* ER_DUP_ENTRY/);
  });
  it('dead-letters the one event whose data the store rejects and applies the rest', async () => {
    const pool = failingPool((_sql, params) =>
      params.flat(3).includes(7003) ? serverError('ER_DATA_TOO_LONG', 1406) : undefined,
    );
    const out = await applyBatch(msgs, deps(pool));
    expect(out.rejected.map((r) => r.msg.offset)).toEqual(['2']);
    expect(out.rejected[0]!.reason).toMatch(/ER_DATA_TOO_LONG/);
    expect(out.applied).toBe(5);
  });
});
