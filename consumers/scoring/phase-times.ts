/**
 * Milliseconds spent per phase (read, parse, history, predict, ...), summed over batches: the sweep
 * logs them per partition, so where a sweep's time goes is visible without a profiler.
 */
export type PhaseTimes = Record<string, number>;

/** Adds the time since `t0` (performance.now()) to `phase`; returns now, the next phase's start. */
export function lap(phases: PhaseTimes | undefined, phase: string, t0: number): number {
  const now = performance.now();
  if (phases) phases[phase] = (phases[phase] ?? 0) + (now - t0);
  return now;
}

/** Rounded to whole milliseconds, for a log line. */
export const roundedPhases = (p: PhaseTimes): PhaseTimes =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Math.round(v)]));
