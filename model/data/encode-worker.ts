import { parentPort, workerData } from 'node:worker_threads';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import { loadEncoder, type EncoderState } from './encoder.ts';

/**
 * One thread of encode-pool.ts: feature rows as the store serves them (JSON lines) -> parsed ->
 * encoded with the artifact's encoder (the code training used). In: { id, lines: string[] }.
 * Out: { id, batch: EncodedBatch, userIds: Int32Array } with the arrays transferred.
 */
const encoder = loadEncoder((workerData as { encoder: EncoderState }).encoder);
parentPort!.on('message', (m: { id: number; lines: string[] }) => {
  try {
    const rows = m.lines.map((l) => JSON.parse(l) as UserFeatures);
    const batch = encoder.encode(rows);
    const userIds = Int32Array.from(rows, (r) => r.userId);
    parentPort!.postMessage({ id: m.id, batch, userIds }, [
      batch.numeric.buffer,
      batch.wide.buffer,
      batch.deep.buffer,
      userIds.buffer,
    ] as ArrayBuffer[]);
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: (err as Error).message });
  }
});
parentPort!.postMessage({ ready: true });
