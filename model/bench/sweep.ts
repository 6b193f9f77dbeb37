import type { UserFeatures } from '../../streams/features/user-features.ts';
import type { EncodedBatch, Encoder } from '../data/encoder.ts';
import type { EncodePool } from '../data/encode-pool.ts';

/**
 * The daily sweep as the scoring consumer runs it, chunk by chunk so memory stays flat at 1M:
 * feature rows as the store serves them (JSON) -> parsed -> encoded -> predicted -> top 3
 * published (serialized; the Kafka send itself is not timed, no stack runs in a bench).
 * `predict` is either the in-process model or a worker pool; with a pool, up to `inFlight`
 * chunks are predicted while the next ones are parsed and encoded.
 */
export interface SweepOptions {
  /** Serialized feature rows; row i of the sweep is rows[i % rows.length] (the bench repeats a sample). */
  rows: readonly string[];
  total: number;
  chunk: number;
  encoder: Encoder;
  K: number;
  predict(batch: EncodedBatch): Promise<Float32Array> | Float32Array;
  inFlight?: number;
  /** Parse and encode on worker threads (for a model running natively on this one). */
  encodePool?: EncodePool;
}

/** Wall time, and where it went (parse, encode and publish on this thread; predict as awaited here). */
export interface SweepResult {
  seconds: number;
  parseSeconds: number;
  encodeSeconds: number;
  predictSeconds: number;
  publishSeconds: number;
  published: number;
}

/** Top 3 categories of each row, as the recommendation message would carry them. */
function publish(userIds: ArrayLike<number>, probs: Float32Array, K: number): number {
  let bytes = 0;
  for (let i = 0; i < userIds.length; i++) {
    const p = probs.subarray(i * K, (i + 1) * K);
    // One pass keeping the best three: a sort per row cost more than predicting it on native.
    let a = -1,
      b = -1,
      c = -1;
    for (let k = 0; k < K; k++) {
      if (a < 0 || p[k]! > p[a]!) {
        c = b;
        b = a;
        a = k;
      } else if (b < 0 || p[k]! > p[b]!) {
        c = b;
        b = k;
      } else if (c < 0 || p[k]! > p[c]!) c = k;
    }
    const top = [a, b, c].filter((x) => x >= 0);
    bytes += JSON.stringify({ userId: userIds[i]!, top: top.map((c) => [c, Math.round(p[c]! * 1e4) / 1e4]) }).length;
  }
  return bytes;
}

export async function runSweep(o: SweepOptions): Promise<SweepResult> {
  if (o.encodePool) return pipelinedSweep(o, o.encodePool);
  const t0 = performance.now();
  let parseMs = 0,
    encodeMs = 0,
    predictMs = 0,
    publishMs = 0,
    published = 0;
  const pending: Promise<void>[] = [];
  for (let start = 0; start < o.total; start += o.chunk) {
    const n = Math.min(o.chunk, o.total - start);
    const t1 = performance.now();
    const parsed: UserFeatures[] = new Array(n);
    for (let i = 0; i < n; i++) parsed[i] = JSON.parse(o.rows[(start + i) % o.rows.length]!) as UserFeatures;
    const t2 = performance.now();
    const batch = o.encoder.encode(parsed);
    const p0 = performance.now();
    parseMs += t2 - t1;
    encodeMs += p0 - t2;
    const done = Promise.resolve(o.predict(batch)).then((probs) => {
      const p1 = performance.now();
      predictMs += p1 - p0;
      publish(
        parsed.map((r) => r.userId),
        probs,
        o.K,
      );
      publishMs += performance.now() - p1;
      published += n;
    });
    pending.push(done);
    // In-process prediction is synchronous; a pool gets a few chunks ahead of the encoder.
    if (pending.length >= (o.inFlight ?? 1)) await pending.shift();
  }
  await Promise.all(pending);
  const sec = (ms: number) => Math.round(ms / 100) / 10;
  return {
    seconds: (performance.now() - t0) / 1000,
    parseSeconds: sec(parseMs),
    encodeSeconds: sec(encodeMs),
    predictSeconds: sec(predictMs),
    publishSeconds: sec(publishMs),
    published,
  };
}

/** Encoding runs ahead on the pool's threads; `encodeSeconds` is the time this thread waited for it. */
async function pipelinedSweep(o: SweepOptions, pool: EncodePool): Promise<SweepResult> {
  const t0 = performance.now();
  let waitMs = 0,
    predictMs = 0,
    publishMs = 0,
    published = 0;
  const starts: number[] = [];
  for (let s = 0; s < o.total; s += o.chunk) starts.push(s);
  const lines = (s: number) =>
    Array.from({ length: Math.min(o.chunk, o.total - s) }, (_, i) => o.rows[(s + i) % o.rows.length]!);
  const ahead = starts.slice(0, 2).map((s) => pool.encode(lines(s)));
  for (let c = 0; c < starts.length; c++) {
    const w0 = performance.now();
    const { batch, userIds } = await ahead.shift()!;
    if (c + 2 < starts.length) ahead.push(pool.encode(lines(starts[c + 2]!)));
    const p0 = performance.now();
    const probs = await o.predict(batch);
    const p1 = performance.now();
    publish(userIds, probs, o.K);
    waitMs += p0 - w0;
    predictMs += p1 - p0;
    publishMs += performance.now() - p1;
    published += batch.n;
  }
  const sec = (ms: number) => Math.round(ms / 100) / 10;
  return {
    seconds: (performance.now() - t0) / 1000,
    parseSeconds: 0,
    encodeSeconds: sec(waitMs),
    predictSeconds: sec(predictMs),
    publishSeconds: sec(publishMs),
    published,
  };
}
