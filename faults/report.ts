import type { CheckResult } from './checker.ts';
import type { FaultOutcome } from './run-fault.ts';

export interface FaultRow {
  fault: string;
  injected: number;
  survived: number;
  lost: number;
  duplicated: number;
  /** Worst recovery of this fault (s); null if one never recovered within the limit. */
  recoveryMaxS: number | null;
  recoveryMeanS: number | null;
}

/** The fault whose window (from inject to recovery) holds this order id, or null for the quiet gaps. */
const windowOf = (outcomes: FaultOutcome[], id: number) =>
  outcomes.find((o) => id > o.orderIds.from && id <= o.orderIds.to)?.index ?? null;

/**
 * One row per fault kind: a fault survived if its injection and heal worked, it recovered within
 * the limit, and no lost or double-counted order falls in its window. Problems outside every
 * window go to the row `(between faults)`.
 */
export function faultTable(
  outcomes: FaultOutcome[],
  check: CheckResult,
  userLastOrder: Map<number, number>,
  recoveryTargetMs: number,
): FaultRow[] {
  const lostBy = new Map<number | null, number>();
  const dupBy = new Map<number | null, number>();
  const add = (m: Map<number | null, number>, k: number | null, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  for (const id of check.orders.lost) add(lostBy, windowOf(outcomes, id), 1);
  for (const u of check.orders.usersShort)
    if (!check.orders.lost.length)
      add(lostBy, windowOf(outcomes, userLastOrder.get(u.userId) ?? 0), Math.max(1, u.orders));
  for (const id of check.orders.phantom) add(dupBy, windowOf(outcomes, id), 1);
  for (const u of check.orders.usersOver)
    add(dupBy, windowOf(outcomes, userLastOrder.get(u.userId) ?? 0), Math.max(1, u.orders));
  const names = [...new Set(outcomes.map((o) => o.fault))].sort();
  const rows = names.map((fault): FaultRow => {
    const mine = outcomes.filter((o) => o.fault === fault);
    const times = mine.map((o) => o.recoveryMs);
    const done = times.filter((t): t is number => t !== null);
    const survived = mine.filter(
      (o) =>
        !o.error &&
        o.recoveryMs !== null &&
        o.recoveryMs <= recoveryTargetMs &&
        !lostBy.get(o.index) &&
        !dupBy.get(o.index),
    ).length;
    return {
      fault,
      injected: mine.length,
      survived,
      lost: mine.reduce((n, o) => n + (lostBy.get(o.index) ?? 0), 0),
      duplicated: mine.reduce((n, o) => n + (dupBy.get(o.index) ?? 0), 0),
      recoveryMaxS: done.length < times.length ? null : Math.max(...done) / 1000,
      recoveryMeanS: done.length ? done.reduce((a, b) => a + b, 0) / done.length / 1000 : null,
    };
  });
  if (lostBy.get(null) || dupBy.get(null))
    rows.push({
      fault: '(between faults)',
      injected: 0,
      survived: 0,
      lost: lostBy.get(null) ?? 0,
      duplicated: dupBy.get(null) ?? 0,
      recoveryMaxS: null,
      recoveryMeanS: null,
    });
  return rows;
}

const s = (v: number | null) => (v === null ? 'never' : `${v.toFixed(1)} s`);

export function formatTable(rows: FaultRow[]): string[] {
  const head = ['fault', 'injected', 'survived', 'lost', 'duplicated', 'recovery mean', 'recovery max'];
  const body = rows.map((r) => [
    r.fault,
    String(r.injected),
    String(r.survived),
    String(r.lost),
    String(r.duplicated),
    s(r.recoveryMeanS),
    s(r.recoveryMaxS),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(head), ...body.map(line)];
}
