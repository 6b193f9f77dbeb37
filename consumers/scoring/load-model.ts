import type { Tf } from '../../model/backend/select-backend.ts';
import { loadChampion } from '../../model/registry/champion.ts';
import type { Registry } from '../../model/registry/registry.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import type { ScoringModel } from './scoring-model.ts';

export interface LoadModelDeps {
  tf: Tf;
  registry: Registry;
  /**
   * Where predictions run; default in this thread with the champion's own score(). A worker-thread
   * pool (createPredictPool) plugs in here for the sweep without touching the scorer.
   */
  predictWith?: (version: string, local: (rows: readonly UserFeatures[]) => Float32Array) => ScoringModel['predict'];
}

/** The registry's current champion as scoring uses it. */
export async function loadScoringModel(deps: LoadModelDeps): Promise<ScoringModel> {
  const champion = await loadChampion({ tf: deps.tf, registry: deps.registry });
  const local = (rows: readonly UserFeatures[]) => champion.score(rows);
  return {
    version: champion.version,
    categories: champion.categories,
    predict: deps.predictWith?.(champion.version, local) ?? (async (rows) => local(rows)),
    explain: (rows) => champion.explain(rows),
    dispose: () => champion.dispose(),
  };
}
