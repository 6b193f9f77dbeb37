import { runAsJsonChild } from '../core/json-child.ts';
import { createPool } from '../prisma/db/pool.ts';
import type { DbConfig } from '../core/config/db-config.ts';
import { selectBackend } from '../model/backend/select-backend.ts';
import { createRegistry } from '../model/registry/registry.ts';
import { loadVersionScorer } from '../model/registry/shadow.ts';
import type { UserFeatures } from '../streams/features/user-features.ts';

export interface ReferenceOptions {
  store: DbConfig;
  modelsDir: string;
  version: string;
  rows: number;
  predictBatch: number;
  seconds: number;
}

export interface ReferenceResult {
  backend: string;
  /** Encode + predict of the champion alone on stored features, rows/s. */
  predictRowsPerSec: number;
  /** The same plus the wide part's explanation, as the scorer asks for both. */
  predictExplainRowsPerSec: number;
}

function rate(rows: UserFeatures[], batch: number, seconds: number, step: (r: UserFeatures[]) => void) {
  step(rows.slice(0, batch));
  let done = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    for (let i = 0; i < rows.length; i += batch) step(rows.slice(i, i + batch));
    done += rows.length;
  }
  return Math.round(done / ((performance.now() - t0) / 1000));
}

/**
 * The sweep bench's reference, in a process of its own (tfjs has one engine per process and the
 * scorer's backend must be the one selected here): the champion's own predict rate on the very
 * features rows the sweep reads, with the backend the scorer would select.
 */
export async function measureReference(o: ReferenceOptions): Promise<ReferenceResult> {
  const backend = await selectBackend();
  const pool = createPool(o.store, { connectionLimit: 1 });
  try {
    const [raw] = await pool.query('SELECT features FROM user_features ORDER BY user_id LIMIT ?', [o.rows]);
    const rows = (raw as { features: string }[]).map((r) => JSON.parse(r.features) as UserFeatures);
    const scorer = await loadVersionScorer(
      { tf: backend.tf, registry: createRegistry({ dir: o.modelsDir }) },
      o.version,
    );
    const predictRowsPerSec = rate(rows, o.predictBatch, o.seconds, (r) => scorer.score(r));
    const predictExplainRowsPerSec = rate(rows, o.predictBatch, o.seconds, (r) => {
      scorer.score(r);
      scorer.explain(r);
    });
    scorer.dispose();
    return { backend: `${backend.name} (${backend.engine})`, predictRowsPerSec, predictExplainRowsPerSec };
  } finally {
    await pool.end();
  }
}

/** `node --import tsx bench/sweep-reference.ts '{...}'` prints one JSON line. */
runAsJsonChild(import.meta.url, measureReference);
