import type { UserFeatures } from '../../streams/features/user-features.ts';
import { ValidationError } from '../../core/errors.ts';
import { featureSchemaHash, layoutOf, type Layout } from './feature-layout.ts';
import { deepIds, rawNumeric, wideIds, type RowContext } from './encode-row.ts';

/**
 * The fitted part of encoding: region vocabulary and numeric scaling, learnt from the training
 * split only and saved in the model artifact, so serving encodes exactly as training did.
 */
export interface EncoderState {
  schemaHash: string;
  categories: string[];
  lastN: number;
  /** Known regions; index regions.length is "unknown or null". */
  regions: string[];
  mean: number[];
  std: number[];
}

/** Row-major batch: row i's columns start at i * layout.numeric (and .wide, .deep). */
export interface EncodedBatch {
  n: number;
  numeric: Float32Array;
  wide: Int32Array;
  deep: Int32Array;
}

export interface Encoder {
  readonly state: EncoderState;
  readonly layout: Layout;
  encode(rows: readonly UserFeatures[]): EncodedBatch;
}

export function fitEncoder(
  train: readonly UserFeatures[],
  opts: { categories: readonly string[]; lastN: number },
): Encoder {
  if (train.length === 0) throw new ValidationError('cannot fit encoders on an empty training split');
  const K = opts.categories.length;
  const regions = [...new Set(train.map((f) => f.region).filter((r): r is string => r !== null))].sort();
  const F = layoutOf({ K, lastN: opts.lastN, regions: regions.length + 1 }).numeric;
  const row = new Float32Array(F);
  const sum = new Float64Array(F),
    sq = new Float64Array(F);
  for (const f of train) {
    rawNumeric(f, K, row, 0);
    for (let j = 0; j < F; j++) {
      sum[j]! += row[j]!;
      sq[j]! += row[j]! * row[j]!;
    }
  }
  const mean = Array.from(sum, (s) => s / train.length);
  // A constant column (std 0) is centred only; dividing by ~0 would blow up unseen values.
  const std = Array.from(sq, (s, j) => Math.sqrt(Math.max(0, s / train.length - mean[j]! ** 2)) || 1);
  return createEncoder({
    schemaHash: featureSchemaHash(),
    categories: [...opts.categories],
    lastN: opts.lastN,
    regions,
    mean,
    std,
  });
}

/** Rebuilds a saved encoder; refuses one made for a different feature schema. */
export function loadEncoder(state: EncoderState): Encoder {
  const running = featureSchemaHash();
  if (state.schemaHash !== running) {
    throw new ValidationError(
      `model was trained for feature schema ${state.schemaHash.slice(0, 12)} but this code computes ${running.slice(0, 12)}; retrain the model (npm run model -- train)`,
      { path: 'encoder.schemaHash' },
    );
  }
  return createEncoder(state);
}

function createEncoder(state: EncoderState): Encoder {
  const K = state.categories.length;
  const regionOf = new Map(state.regions.map((r, i) => [r, i]));
  const ctx: RowContext = {
    K,
    lastN: state.lastN,
    regions: state.regions.length + 1,
    regionIndex: (r) => (r === null ? state.regions.length : (regionOf.get(r) ?? state.regions.length)),
  };
  const layout = layoutOf(ctx);
  if (state.mean.length !== layout.numeric)
    throw new ValidationError(`encoder has ${state.mean.length} numeric columns, layout needs ${layout.numeric}`);
  return {
    state,
    layout,
    encode(rows) {
      const n = rows.length;
      const batch = {
        n,
        numeric: new Float32Array(n * layout.numeric),
        wide: new Int32Array(n * layout.wide),
        deep: new Int32Array(n * layout.deep),
      };
      rows.forEach((f, i) => {
        const at = i * layout.numeric;
        rawNumeric(f, K, batch.numeric, at);
        for (let j = 0; j < layout.numeric; j++)
          batch.numeric[at + j] = (batch.numeric[at + j]! - state.mean[j]!) / state.std[j]!;
        wideIds(f, ctx, batch.wide, i * layout.wide);
        deepIds(f, ctx, batch.deep, i * layout.deep);
      });
      return batch;
    },
  };
}
