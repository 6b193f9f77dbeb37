import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../core/errors.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import type { BackendName } from '../backend/select-backend.ts';
import type { EncodedBatch } from '../data/encoder.ts';
import type { WorkerInit, WorkerReply, WorkerRequest } from './predict-worker.ts';

/**
 * Batch scoring on every core where the native backend is not available: worker threads, each
 * with its own wasm engine and its own copy of one model version. A call is cut into contiguous
 * pieces (one per idle worker, at least `minRows` each) and the answers are stitched back in order.
 *
 *   const pool = await createPredictPool({ modelDir: registry.pathOf(version), workers: 2 });
 *   const probs = await pool.predict(encoder.encode(features)); // or pool.score(features)
 *   // probs: Float32Array [n, K] row-major, K = the artifact's categories
 *   await pool.close();
 */
export interface PredictPoolOptions {
  /** An artifact directory (model.json, weights.bin, artifact.json), e.g. registry.pathOf(version). */
  modelDir: string;
  /** Threads; default: the machine's cores. */
  workers?: number;
  /** Backends to try in each worker; default wasm, then cpu. */
  backends?: BackendName[];
  /** Rows per model call inside a worker (predictProbabilities); default 1024. */
  batchSize?: number;
  /** A call is only split when each piece gets at least this many rows; default 2048. */
  minRows?: number;
}

export interface PredictPool {
  /** Backend each worker runs, e.g. "wasm (wasm)". */
  readonly backend: string;
  readonly workers: number;
  /** Output classes (the artifact's categories). */
  readonly K: number;
  /** Probabilities [n, K] for rows already encoded with this artifact's encoder. The batch is copied, not consumed. */
  predict(batch: EncodedBatch): Promise<Float32Array>;
  /** Encodes in the workers with the artifact's encoder, then predicts: [rows.length, K]. */
  score(rows: readonly UserFeatures[]): Promise<Float32Array>;
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve(p: Float32Array): void; reject(e: Error): void }>;
  rows: number;
}

function startWorker(init: WorkerInit): Promise<{ slot: Slot; backend: string; K: number }> {
  const worker = new Worker(new URL('./predict-worker-entry.mjs', import.meta.url), { workerData: init });
  const slot: Slot = { worker, pending: new Map(), rows: 0 };
  return new Promise((resolve, reject) => {
    worker.on('message', (m: WorkerReply) => {
      if ('ready' in m) return resolve({ slot, backend: m.backend, K: m.K });
      if (m.id === -1 && 'error' in m)
        return reject(
          new AppError(`predict worker did not start: ${m.error}`, {
            cause: Object.assign(new Error(m.error), { stack: m.stack }),
          }),
        );
      const p = slot.pending.get(m.id);
      slot.pending.delete(m.id);
      if ('error' in m)
        p?.reject(
          new AppError(`predict worker failed: ${m.error}`, {
            cause: Object.assign(new Error(m.error), { stack: m.stack }),
          }),
        );
      else p?.resolve(m.probs);
    });
    worker.on('error', (err) => {
      reject(new AppError('predict worker crashed', { cause: err }));
      for (const p of slot.pending.values()) p.reject(new AppError('predict worker crashed', { cause: err }));
      slot.pending.clear();
    });
  });
}

const piece = (b: EncodedBatch, from: number, to: number): EncodedBatch => {
  const [f, w, d] = [b.numeric.length / b.n, b.wide.length / b.n, b.deep.length / b.n];
  return {
    n: to - from,
    numeric: b.numeric.slice(from * f, to * f),
    wide: b.wide.slice(from * w, to * w),
    deep: b.deep.slice(from * d, to * d),
  };
};

export async function createPredictPool(o: PredictPoolOptions): Promise<PredictPool> {
  const n = Math.max(1, o.workers ?? availableParallelism());
  const init: WorkerInit = {
    modelDir: o.modelDir,
    backends: o.backends ?? ['wasm', 'cpu'],
    batchSize: o.batchSize ?? 1024,
  };
  const started = await Promise.allSettled(Array.from({ length: n }, () => startWorker(init)));
  const slots = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value.slot] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(slots.map((s) => s.worker.terminate()));
    throw failed.reason;
  }
  const first = (started[0] as PromiseFulfilledResult<{ backend: string; K: number }>).value;
  const minRows = o.minRows ?? 2048;
  let nextId = 0;

  const send = (msg: Omit<WorkerRequest, 'id'>, rows: number, transfer: ArrayBuffer[]): Promise<Float32Array> => {
    const slot = slots.reduce((a, b) => (b.rows < a.rows ? b : a));
    const id = nextId++;
    slot.rows += rows;
    return new Promise<Float32Array>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ ...msg, id }, transfer);
    }).finally(() => {
      slot.rows -= rows;
    });
  };

  /** Contiguous [from, to) ranges: one per worker, unless that would make pieces smaller than minRows. */
  const ranges = (total: number): [number, number][] => {
    const parts = Math.max(1, Math.min(slots.length, Math.floor(total / minRows)));
    const size = Math.ceil(total / parts);
    return Array.from(
      { length: parts },
      (_, i) => [i * size, Math.min(total, (i + 1) * size)] as [number, number],
    ).filter(([a, b]) => b > a);
  };

  const stitch = async (total: number, parts: Promise<Float32Array>[], starts: number[]): Promise<Float32Array> => {
    const out = new Float32Array(total * first.K);
    (await Promise.all(parts)).forEach((p, i) => out.set(p, starts[i]! * first.K));
    return out;
  };

  return {
    backend: first.backend,
    workers: slots.length,
    K: first.K,
    predict(batch) {
      const rs = ranges(batch.n);
      const parts = rs.map(([a, b]) => {
        const p = piece(batch, a, b);
        return send({ batch: p }, b - a, [p.numeric.buffer, p.wide.buffer, p.deep.buffer] as ArrayBuffer[]);
      });
      return stitch(
        batch.n,
        parts,
        rs.map(([a]) => a),
      );
    },
    score(rows) {
      const rs = ranges(rows.length);
      return stitch(
        rows.length,
        rs.map(([a, b]) => send({ rows: rows.slice(a, b) as UserFeatures[] }, b - a, [])),
        rs.map(([a]) => a),
      );
    },
    async close() {
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
