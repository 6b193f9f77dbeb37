import type { UserFeatures } from '../../streams/features/user-features.ts';
import type { Recommendation, Trigger } from '../../streams/recommendations/recommendation.ts';
import type { Catalogue } from './catalogue.ts';
import type { RecommendationOptions } from './config.ts';
import { buildRecommendation, POPULARITY_VERSION } from './build-recommendation.ts';
import { emptyHistory, type PurchaseHistory } from './purchase-history.ts';
import type { ScoringModel } from './scoring-model.ts';

export interface ScoreRequest {
  features: UserFeatures;
  trigger: Trigger;
  runId: string | null;
}

export interface ScorerDeps {
  /** The champion now, or null when there is none (then everyone gets popularity). */
  model: () => ScoringModel | null;
  catalogue: () => Catalogue;
  history: (userIds: number[], since: Date, catalogue: Catalogue) => Promise<Map<number, PurchaseHistory>>;
  opts: RecommendationOptions;
  now?: () => Date;
}

export interface Scorer {
  /** One recommendation per request, in request order; one predict call for the whole batch. */
  score(requests: readonly ScoreRequest[]): Promise<Recommendation[]>;
}

/** Model columns reordered to the catalogue's category order (by name); a category the model lacks scores 0. */
function columnMap(model: ScoringModel, catalogue: Catalogue): number[] {
  return catalogue.categories.map((name) => model.categories.indexOf(name));
}

export function createScorer(deps: ScorerDeps): Scorer {
  const now = deps.now ?? (() => new Date());
  return {
    async score(requests) {
      if (!requests.length) return [];
      const catalogue = deps.catalogue();
      const model = deps.model();
      const at = now();
      const since = new Date(at.getTime() - deps.opts.recentDays * 86_400_000);
      const rows = requests.map((r) => r.features);
      const histories = await deps.history(
        rows.map((f) => f.userId),
        since,
        catalogue,
      );
      const K = catalogue.categories.length;
      const probs = model ? await model.predict(rows) : null;
      const wide = model ? model.explain(rows) : null;
      const cols = model ? columnMap(model, catalogue) : [];
      const MK = model?.categories.length ?? 0;
      const W = wide ? wide.length / (rows.length * MK) : 0;
      return requests.map((r, i) => {
        let scores: ArrayLike<number> = catalogue.popularity;
        let mine: Float32Array | null = null;
        const usable = probs && !probs.subarray(i * MK, (i + 1) * MK).some((p) => !Number.isFinite(p));
        if (usable) {
          scores = cols.map((j) => (j < 0 ? 0 : probs[i * MK + j]!));
          if (wide) {
            mine = new Float32Array(W * K);
            for (let s = 0; s < W; s++)
              for (let c = 0; c < K; c++) mine[s * K + c] = cols[c]! < 0 ? 0 : wide[(i * W + s) * MK + cols[c]!]!;
          }
        }
        return buildRecommendation({
          features: r.features,
          scores,
          wide: mine,
          modelVersion: usable ? model!.version : POPULARITY_VERSION,
          trigger: r.trigger,
          runId: r.runId,
          catalogue,
          history: histories.get(r.features.userId) ?? emptyHistory(),
          opts: deps.opts,
          now: at,
        });
      });
    },
  };
}
