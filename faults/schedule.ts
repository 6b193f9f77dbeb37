import { createRng, hashString } from '../shop/rng.ts';

export interface ScheduledFault {
  /** Index in the run: faults happen one after another, each healed and recovered from before the next. */
  index: number;
  fault: string;
  /** Quiet time under load before the fault. */
  quietMs: number;
  /** How long the fault stays before it is healed. */
  holdMs: number;
  /** A number the fault may use for its own choice (which broker), from the same seed. */
  choice: number;
}

export interface ScheduleOptions {
  seed: number;
  faults: readonly string[];
  /** Faults are added until their quiet and hold times fill this much. */
  budgetMs: number;
  /** Every fault at least once before any repeats (the short run covers the catalogue). */
  coverFirst?: boolean;
  quietMs?: [number, number];
  holdMs?: [number, number];
}

/**
 * A random schedule that depends on the seed alone: the same seed replays the same faults, in
 * the same order, with the same hold times (Jepsen's nemesis schedule, one fault at a time).
 */
export function makeSchedule(o: ScheduleOptions): ScheduledFault[] {
  const rng = createRng(o.seed, hashString('faults'));
  const [qMin, qMax] = o.quietMs ?? [2_000, 6_000];
  const [hMin, hMax] = o.holdMs ?? [3_000, 10_000];
  const order: string[] = [];
  if (o.coverFirst) {
    const bag = [...o.faults];
    while (bag.length) order.push(bag.splice(rng.int(bag.length), 1)[0]!);
  }
  const out: ScheduledFault[] = [];
  let used = 0;
  for (let i = 0; used < o.budgetMs || i < order.length; i++) {
    const quietMs = qMin + rng.int(qMax - qMin + 1);
    const holdMs = hMin + rng.int(hMax - hMin + 1);
    const fault = order[i] ?? o.faults[rng.int(o.faults.length)]!;
    out.push({ index: i, fault, quietMs, holdMs, choice: rng.int(1 << 30) });
    used += quietMs + holdMs;
    if (i >= 1000) break;
  }
  return out;
}
