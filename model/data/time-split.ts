import type { Sample } from './snapshots.ts';

const DAY_MS = 86_400_000;

export interface TimeSplit<T> {
  train: T[];
  validation: T[];
  test: T[];
  /** Boundaries (epoch ms): validation snapshots start at trainEnd, test at validationEnd. */
  trainEnd: number;
  validationEnd: number;
}

/**
 * Splits by snapshot time, never by row: train on the earliest share of the period, validate
 * on the next, test on the last. A train snapshot's label window (t + horizon) must close
 * before validation starts (and likewise validation before test), so no purchase is a label
 * on both sides of a boundary.
 */
export function splitByTime<T extends Pick<Sample, 't'>>(
  samples: readonly T[],
  opts: { from: number; to: number; horizonDays: number; trainShare?: number; validationShare?: number },
): TimeSplit<T> {
  const span = opts.to - opts.from;
  const trainEnd = opts.from + span * (opts.trainShare ?? 0.6);
  const validationEnd = trainEnd + span * (opts.validationShare ?? 0.2);
  const horizon = opts.horizonDays * DAY_MS;
  const train: T[] = [],
    validation: T[] = [],
    test: T[] = [];
  for (const s of samples) {
    if (s.t + horizon <= trainEnd) train.push(s);
    else if (s.t >= trainEnd && s.t + horizon <= validationEnd) validation.push(s);
    else if (s.t >= validationEnd) test.push(s);
  }
  return { train, validation, test, trainEnd, validationEnd };
}

/**
 * First and last snapshot time. A loop, not Math.min(...times): spreading a few hundred
 * thousand arguments overflows the call stack (the 100k-shopper test split has ~190k rows).
 */
export function timeSpan(samples: readonly Pick<Sample, 't'>[]): { from: number; to: number } {
  let from = Infinity,
    to = -Infinity;
  for (const s of samples) {
    if (s.t < from) from = s.t;
    if (s.t > to) to = s.t;
  }
  return { from, to };
}
