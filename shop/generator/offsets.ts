import type { Calibration } from '../calibration.ts';
import { createRng, hashString, type Rng } from '../rng.ts';
import type { CustomerRow } from '../shop-rows.ts';
import { softmaxInPlace, type Shopper } from './preferences.ts';
import { DAY_MS, EPOCH_2019_MS } from './time.ts';

const CALIBRATION_SHOPPERS = 3000;

/**
 * Offsets that keep the population's expected line shares at the targets despite the
 * non-linearity of softmax. A fixed synthetic population (independent of --shoppers) so a
 * shopper's probabilities do not depend on how many others were generated.
 */
export function solveOffsets(deps: {
  seed: number;
  shares: Float64Array;
  calibration: Calibration;
  regions: string[];
  shopper: (a: CustomerRow) => Shopper;
  probabilitiesAtDay: (u: Shopper, day: number, out: Float64Array) => void;
}): Float64Array {
  const m = deps.shares.length;
  const rng = createRng(deps.seed, hashString('offsets'));
  const samples = sampleLogits(deps, rng, m);
  const offsets = new Float64Array(m);
  const avg = new Float64Array(m);
  const p = new Float64Array(m);
  for (let iter = 0; iter < 60; iter++) {
    avg.fill(0);
    for (let i = 0; i < samples.length; i += m) {
      let max = -Infinity;
      for (let c = 0; c < m; c++) max = Math.max(max, (p[c] = samples[i + c]! + offsets[c]!));
      softmaxInPlace(p, max);
      for (let c = 0; c < m; c++) avg[c] = avg[c]! + p[c]!;
    }
    const n = samples.length / m;
    let worst = 0;
    for (let c = 0; c < m; c++) {
      const step = Math.log(deps.shares[c]! / (avg[c]! / n));
      offsets[c] = offsets[c]! + step;
      worst = Math.max(worst, Math.abs(step));
    }
    if (worst < 1e-4) break;
  }
  return offsets;
}

/** Logits (log-probabilities, without offsets) of synthetic shoppers on days drawn like real activity. */
function sampleLogits(deps: Parameters<typeof solveOffsets>[0], rng: Rng, m: number): Float64Array {
  const cal = deps.calibration;
  const regionWeights = Object.values(cal.regions);
  const regionTotal = regionWeights.reduce((a, b) => a + b, 0);
  const monthTotal = cal.monthWeights.reduce((a, b) => a + b, 0);
  const out = new Float64Array(CALIBRATION_SHOPPERS * 4 * m);
  const p = new Float64Array(m);
  let k = 0;
  for (let i = 0; i < CALIBRATION_SHOPPERS; i++) {
    let r = rng.next() * regionTotal;
    let region = 0;
    while (r >= regionWeights[region]! && region < regionWeights.length - 1) r -= regionWeights[region++]!;
    const u = deps.shopper({
      customerId: `calibration-${i}`,
      gender: rng.next() < cal.gender.F ? 'F' : 'M',
      region: deps.regions[region]!,
      tenureMonths: cal.tenureMonths.min + rng.int(cal.tenureMonths.max - cal.tenureMonths.min + 1),
    });
    for (let j = 0; j < 4; j++) {
      let w = rng.next() * monthTotal;
      let month = 0;
      while (w >= cal.monthWeights[month]! && month < 11) w -= cal.monthWeights[month++]!;
      const day = Date.UTC(2019, month, 1 + rng.int(28)) / DAY_MS - EPOCH_2019_MS / DAY_MS;
      deps.probabilitiesAtDay(u, day, p);
      for (let c = 0; c < m; c++) out[k++] = Math.log(p[c]!);
    }
  }
  return out;
}
