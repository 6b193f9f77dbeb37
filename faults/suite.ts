import type { Admin } from 'kafkajs';
import { createKafka } from '../core/kafka.ts';
import { createLogger, type Logger } from '../core/logger.ts';
import { AppError } from '../core/errors.ts';
import type { StackSettings } from '../stack/settings.ts';
import { faultCatalog } from './catalog.ts';
import { quiesce, runChecks, type CheckResult } from './checker.ts';
import { startLoad } from './load.ts';
import { faultTable, type FaultRow } from './report.ts';
import { runFault, type FaultOutcome } from './run-fault.ts';
import { makeSchedule } from './schedule.ts';
import { startSystem, type SweepRequest, type SystemUnderTest } from './system.ts';

export interface SuiteOptions {
  seed: number;
  /** Seconds of quiet and fault time to schedule. */
  durationS: number;
  /** The CI form: every fault once, short holds. */
  short: boolean;
  /** Only these faults (default: the whole catalogue). */
  only?: string[];
  rate: number;
  shoppers: number;
  recoveryTargetMs: number;
  ports: { features: number; scoring: number; materializer: number };
}

export interface SuiteResult {
  rows: FaultRow[];
  outcomes: FaultOutcome[];
  check: CheckResult;
  quiesced: boolean;
  load: { placed: number; errors: number; restarts: number };
  sweeps: SweepRequest[];
  ok: boolean;
}

/** A sweep that missed or repeated a shopper fails the fault that interrupted it. */
function markSweepFailures(outcomes: FaultOutcome[], sweeps: SweepRequest[], check: CheckResult): void {
  for (const c of check.recs.sweeps) {
    if (!c.missing.length && !c.duplicated.length) continue;
    const index = sweeps.find((r) => r.runId === c.runId)?.index;
    const o = outcomes.find((x) => x.index === index);
    if (o) o.error ??= `sweep ${c.runId}: ${c.missing.length} shoppers missing, ${c.duplicated.length} scored twice`;
  }
}

/** CDC messages per second the load causes: an order is ~2 lines plus a status change or two, 5 messages or so. */
const messagesPerSecond = (ordersPerSecond: number) => Math.ceil(ordersPerSecond * 6);

async function lastOrderPerUser(sys: SystemUnderTest): Promise<Map<number, number>> {
  const [rows] = await sys.shop.pool.query('SELECT user_id, MAX(id) AS id FROM orders GROUP BY user_id');
  return new Map((rows as { user_id: number; id: number }[]).map((r) => [Number(r.user_id), Number(r.id)]));
}

async function schedule(admin: Admin, sys: SystemUnderTest, o: SuiteOptions, logger: Logger, out: (l: string) => void) {
  const catalog = faultCatalog({ logger }).filter((f) => !o.only || o.only.includes(f.name));
  const plan = makeSchedule({
    seed: o.seed,
    faults: catalog.map((f) => f.name),
    budgetMs: o.short ? 0 : o.durationS * 1000,
    coverFirst: true,
    ...(o.short ? { quietMs: [1_000, 2_000] as [number, number], holdMs: [2_000, 4_000] as [number, number] } : {}),
  });
  out(`schedule (seed ${o.seed}): ${plan.map((p) => `${p.fault} ${(p.holdMs / 1000).toFixed(1)}s`).join(', ')}`);
  const outcomes: FaultOutcome[] = [];
  for (const step of plan) {
    const fault = catalog.find((f) => f.name === step.fault)!;
    const r = await runFault(
      { admin, sys, logger, recoveryLimitMs: o.short ? 60_000 : 120_000, lagSlack: messagesPerSecond(o.rate) },
      step,
      fault,
    );
    const rec =
      r.recoveryMs === null ? 'NOT recovered within the limit' : `recovered in ${(r.recoveryMs / 1000).toFixed(1)} s`;
    out(
      `  #${step.index} ${step.fault.padEnd(18)} held ${(step.holdMs / 1000).toFixed(1)} s, ${rec}${r.error ? ` (${r.error})` : ''}`,
    );
    outcomes.push(r);
  }
  return outcomes;
}

/** Brings the system up, runs the seeded schedule under load, then checks what the store and topics hold. */
export async function runSuite(
  stack: StackSettings,
  o: SuiteOptions,
  logger: Logger,
  out: (line: string) => void,
): Promise<SuiteResult> {
  const t0 = Date.now();
  // The simulator logs every retried write as a warning; during a database fault that is noise.
  const quiet = createLogger({ level: 'error', base: { component: 'faults-load' } });
  const sys = await startSystem(stack, {
    shoppers: o.shoppers,
    seed: o.seed,
    ports: o.ports,
    logger,
    onStep: (s) => out(`  up: ${s} (${((Date.now() - t0) / 1000).toFixed(0)} s)`),
  });
  const admin = createKafka({ clientId: 'faults', brokers: sys.features.brokers }).admin();
  await admin.connect();
  try {
    // Faults start once the initial snapshot is in the store: a snapshot cut short is its own fault.
    if (!(await quiesce(admin, sys, 300_000))) throw new AppError('the initial snapshot never reached the store');
    out(`  up: initial snapshot applied (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    const load = startLoad({ pool: sys.writer, logger: quiet, rate: o.rate, seed: o.seed });
    const outcomes = await schedule(admin, sys, o, logger, out).catch(async (err: unknown) => {
      await load.stop();
      throw err;
    });
    const totals = await load.stop();
    out(`load: ${totals.placed} orders placed, ${totals.errors} failed, simulator restarted ${totals.restarts}×`);
    const quiesced = await quiesce(admin, sys, 120_000);
    const check = await runChecks(admin, sys);
    markSweepFailures(outcomes, sys.sweeps, check);
    const rows = faultTable(outcomes, check, await lastOrderPerUser(sys), o.recoveryTargetMs);
    const ok = check.ok && quiesced && rows.every((r) => r.survived === r.injected);
    return { rows, outcomes, check, quiesced, load: totals, sweeps: sys.sweeps, ok };
  } finally {
    await admin.disconnect().catch(() => {});
    await sys.close().catch((err: unknown) => logger.warn('cleanup failed', { err: err as Error }));
  }
}
