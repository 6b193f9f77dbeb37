import { describe, expect, it } from 'vitest';
import type { Pool } from '../../prisma/db/pool.ts';
import { createRng } from '../rng.ts';
import { createOrderLifecycle } from './order-lifecycle.ts';

function fakePool() {
  const statements: string[] = [];
  return {
    statements,
    pool: {
      query: async (sql: string) => {
        statements.push(sql);
        return [{}, []];
      },
    } as unknown as Pool,
  };
}

describe('order lifecycle', () => {
  it('pays, cancels and refunds at the configured rates and times', async () => {
    const { pool, statements } = fakePool();
    const lc = createOrderLifecycle({
      pool,
      rng: createRng(1),
      options: { cancelRate: 0.2, refundRate: 0.1, payDelayMs: 1000, refundDelayMs: 5000 },
    });
    const ids = Array.from({ length: 4000 }, (_, i) => i + 1);
    lc.placed(ids, 0);
    await lc.advance(999);
    expect(statements).toHaveLength(0);
    await lc.advance(1000);
    const { paid, cancelled } = lc.counts;
    expect(paid + cancelled).toBe(4000);
    expect(cancelled / 4000).toBeGreaterThan(0.17);
    expect(cancelled / 4000).toBeLessThan(0.23);
    expect(statements.some((s) => s.startsWith("UPDATE orders SET status = 'paid'"))).toBe(true);
    await lc.advance(5999);
    expect(lc.counts.refunded).toBe(0);
    await lc.advance(6000);
    expect(lc.counts.refunded / paid).toBeGreaterThan(0.07);
    expect(lc.counts.refunded / paid).toBeLessThan(0.13);
    expect(lc.pending).toBe(0);
    expect(statements.at(-1)).toMatch(
      /^UPDATE orders SET status = 'refunded', updated_at = CURRENT_TIMESTAMP\(3\) WHERE id IN \(\d+/,
    );
  });
});
