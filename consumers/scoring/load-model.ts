import type { Tf } from '../../model/backend/select-backend.ts';
import type { ChampionScorer } from '../../model/registry/champion.ts';
import type { Registry } from '../../model/registry/registry.ts';
import { loadVersionScorer } from '../../model/registry/shadow.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import type { ScoringModel } from './scoring-model.ts';

export interface LoadModelDeps {
  tf: Tf;
  registry: Registry;
  /**
   * Where predictions run; default in this thread with the model's own score(). A worker-thread
   * pool (createPredictPool) plugs in here for the sweep without touching the scorer.
   */
  predictWith?: (version: string, local: (rows: readonly UserFeatures[]) => Float32Array) => ScoringModel['predict'];
}

/** A loaded version (champion or shadow) as scoring uses it. */
export function asScoringModel(scorer: ChampionScorer, predictWith?: LoadModelDeps['predictWith']): ScoringModel {
  const local = (rows: readonly UserFeatures[]) => scorer.score(rows);
  const pooled = predictWith?.(scorer.version, local);
  return {
    version: scorer.version,
    categories: scorer.categories,
    predict: pooled ?? (async (rows) => local(rows)),
    explain: (rows) => scorer.explain(rows),
    ...(pooled ? {} : { predictExplained: async (rows: readonly UserFeatures[]) => scorer.scoreAndExplain(rows) }),
    dispose: () => scorer.dispose(),
  };
}

/** One registered version (the champion the registry or models.v1 names) as scoring uses it. */
export async function loadScoringModel(deps: LoadModelDeps, version: string): Promise<ScoringModel> {
  return asScoringModel(await loadVersionScorer({ tf: deps.tf, registry: deps.registry }, version), deps.predictWith);
}
