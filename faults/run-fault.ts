import type { Admin } from 'kafkajs';
import type { Logger } from '../core/logger.ts';
import type { Fault } from './catalog.ts';
import { cdcLag } from './checker.ts';
import type { ScheduledFault } from './schedule.ts';
import type { SystemUnderTest } from './system.ts';

/** What happened to one scheduled fault. */
export interface FaultOutcome {
  index: number;
  fault: string;
  /** Order ids committed while the fault was in effect or being recovered from: (from, to]. */
  orderIds: { from: number; to: number };
  /** Heal until the orders committed before the heal are in the store and the group has caught up once; null: not within the limit. */
  recoveryMs: number | null;
  error?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const maxOrderId = async (sys: SystemUnderTest) =>
  Number(((await sys.shop.pool.query('SELECT COALESCE(MAX(id), 0) AS n FROM orders'))[0] as { n: number }[])[0]!.n);

/** Orders up to `id` that the shop holds but the store does not (yet). */
async function missingUpTo(sys: SystemUnderTest, id: number): Promise<number> {
  const n = async (pool: SystemUnderTest['shop']['pool'], sql: string) =>
    Number(((await pool.query(sql, [id]))[0] as { n: number }[])[0]!.n);
  const shop = await n(sys.shop.pool, 'SELECT COUNT(*) AS n FROM orders WHERE id <= ?');
  const store = await n(sys.store.pool, 'SELECT COUNT(*) AS n FROM fs_orders WHERE order_id <= ? AND deleted = 0');
  return shop - store;
}

/**
 * Recovered: every order committed before the heal is in the store, and the consumer's lag on
 * the CDC topics is at most about one second of load's messages (under steady load it is seldom
 * exactly 0 at the instant it is read).
 */
async function waitRecovered(
  admin: Admin,
  sys: SystemUnderTest,
  healedAt: number,
  limitMs: number,
  lagSlack: number,
  fault: Fault,
): Promise<number | null> {
  const upTo = await maxOrderId(sys).catch(() => Number.MAX_SAFE_INTEGER);
  while (Date.now() - healedAt < limitMs) {
    try {
      if (
        (await missingUpTo(sys, upTo)) <= 0 &&
        (await cdcLag(admin, sys)) <= lagSlack &&
        (!fault.recovered || (await fault.recovered(sys, admin, lagSlack)))
      )
        return Date.now() - healedAt;
    } catch {
      // The database or a broker may still be coming back: that is part of the recovery time.
    }
    await sleep(200);
  }
  return null;
}

export async function runFault(
  deps: { admin: Admin; sys: SystemUnderTest; logger: Logger; recoveryLimitMs: number; lagSlack: number },
  step: ScheduledFault,
  fault: Fault,
): Promise<FaultOutcome> {
  const { sys, admin } = deps;
  await sleep(step.quietMs);
  const from = await maxOrderId(sys);
  const outcome: FaultOutcome = {
    index: step.index,
    fault: step.fault,
    orderIds: { from, to: from },
    recoveryMs: null,
  };
  try {
    await fault.inject(sys, (n) => step.choice % n, step.index);
    await sleep(step.holdMs);
    await fault.heal(sys);
  } catch (err) {
    outcome.error = (err as Error).message;
    deps.logger.error('fault injection or heal failed', { fault: step.fault, err: err as Error });
  }
  const healedAt = Date.now();
  outcome.recoveryMs = await waitRecovered(admin, sys, healedAt, deps.recoveryLimitMs, deps.lagSlack, fault);
  outcome.orderIds.to = await maxOrderId(sys).catch(() => from);
  return outcome;
}
