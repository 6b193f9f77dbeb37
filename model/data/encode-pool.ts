import { Worker } from 'node:worker_threads';
import { AppError } from '../../core/errors.ts';
import type { EncodedBatch, EncoderState } from './encoder.ts';

/**
 * Parsing and encoding feature rows on other threads, for a sweep whose model runs natively on
 * this one: with 2 cores, one encodes the next chunk while the other predicts this one, so a
 * row costs max(parse + encode, predict) instead of their sum. Chunks are handed out in turn.
 *
 *   const pool = await createEncodePool({ encoder: artifact.meta.encoder, workers: 1 });
 *   const { batch, userIds } = await pool.encode(jsonLines);  // batch: EncodedBatch, userIds: Int32Array [n]
 */
export interface EncodePool {
  encode(lines: string[]): Promise<{ batch: EncodedBatch; userIds: Int32Array }>;
  close(): Promise<void>;
}

type Reply = { ready: true } | { id: number; batch: EncodedBatch; userIds: Int32Array } | { id: number; error: string };
type Waiter = { resolve(v: { batch: EncodedBatch; userIds: Int32Array }): void; reject(e: Error): void };

export async function createEncodePool(o: { encoder: EncoderState; workers?: number }): Promise<EncodePool> {
  const pending = new Map<number, Waiter>();
  const start = () =>
    new Promise<Worker>((resolve, reject) => {
      const w = new Worker(new URL('./encode-worker-entry.mjs', import.meta.url), {
        workerData: { encoder: o.encoder },
      });
      w.on('message', (m: Reply) => {
        if ('ready' in m) return resolve(w);
        const p = pending.get(m.id);
        pending.delete(m.id);
        if ('error' in m) p?.reject(new AppError(`encode worker failed: ${m.error}`));
        else p?.resolve({ batch: m.batch, userIds: m.userIds });
      });
      w.on('error', (err) => {
        reject(new AppError('encode worker crashed', { cause: err }));
        for (const p of pending.values()) p.reject(new AppError('encode worker crashed', { cause: err }));
        pending.clear();
      });
    });
  const workers = await Promise.all(Array.from({ length: Math.max(1, o.workers ?? 1) }, start));
  let next = 0;
  return {
    encode(lines) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        workers[id % workers.length]!.postMessage({ id, lines });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
