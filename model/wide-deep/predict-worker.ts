import { parentPort, workerData } from 'node:worker_threads';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import { selectBackend, type BackendName } from '../backend/select-backend.ts';
import type { EncodedBatch } from '../data/encoder.ts';
import { loadArtifact } from '../registry/artifact.ts';
import { predictProbabilities } from './predict.ts';

/**
 * One thread of predict-pool.ts: its own tfjs engine (wasm by default: tfjs disables wasm's own
 * threads in Node, so threads are how scoring uses more than one core) and its own copy of the
 * model. Messages in: { id, batch: EncodedBatch } or { id, rows: UserFeatures[] } (encoded here
 * with the artifact's encoder, the same code training used). Out: { id, probs } row-major [n, K].
 */
export interface WorkerInit {
  modelDir: string;
  backends: BackendName[];
  batchSize: number;
}
export type WorkerRequest = { id: number; batch: EncodedBatch } | { id: number; rows: UserFeatures[] };
export type WorkerReply =
  | { id: number; probs: Float32Array }
  | { id: number; error: string; stack?: string }
  | { ready: true; backend: string; K: number };

async function main(): Promise<void> {
  const init = workerData as WorkerInit;
  const port = parentPort!;
  const backend = await selectBackend({ only: init.backends });
  const { model, encoder } = await loadArtifact(backend.tf, init.modelDir);
  const K = encoder.state.categories.length;
  port.on('message', (m: WorkerRequest) => {
    try {
      const batch = 'batch' in m ? m.batch : encoder.encode(m.rows);
      const probs = predictProbabilities(backend.tf, model, encoder.layout, batch, K, init.batchSize);
      port.postMessage({ id: m.id, probs } satisfies WorkerReply, [probs.buffer as ArrayBuffer]);
    } catch (err) {
      port.postMessage({ id: m.id, error: (err as Error).message, stack: (err as Error).stack } satisfies WorkerReply);
    }
  });
  port.postMessage({ ready: true, backend: `${backend.name} (${backend.engine})`, K } satisfies WorkerReply);
}

main().catch((err) => {
  // Start-up failed (no model, no backend): the pool rejects its ready promise with this.
  parentPort?.postMessage({ id: -1, error: (err as Error).message, stack: (err as Error).stack } satisfies WorkerReply);
});
