import { NotFoundError } from '../../core/errors.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import type { Tf } from '../backend/select-backend.ts';
import { predictProbabilities } from '../wide-deep/predict.ts';
import { loadArtifact } from './artifact.ts';
import type { Registry } from './registry.ts';

/** What scoring holds: the champion's model behind the same encoder it was trained with. */
export interface ChampionScorer {
  version: string;
  /** Model category names; column c of every score row. */
  categories: readonly string[];
  /** Probabilities [rows.length, K], row-major; no tensor outlives the call. */
  score(rows: readonly UserFeatures[]): Float32Array;
  dispose(): void;
}

export async function loadChampion(deps: { tf: Tf; registry: Registry }): Promise<ChampionScorer> {
  const entry = await deps.registry.champion();
  if (!entry) throw new NotFoundError('no champion model: npm run model -- train, then promote a version');
  const { model, encoder, meta } = await loadArtifact(deps.tf, deps.registry.pathOf(entry.version));
  const K = encoder.state.categories.length;
  return {
    version: meta.version,
    categories: encoder.state.categories,
    score: (rows) => predictProbabilities(deps.tf, model, encoder.layout, encoder.encode(rows), K),
    dispose: () => model.dispose(),
  };
}
