import type { UserFeatures } from '../../streams/features/user-features.ts';
import type { Recommendation, Trigger } from '../../streams/recommendations/recommendation.ts';
import type { Catalogue } from './catalogue.ts';
import type { RecommendationOptions } from './config.ts';
import { buildRecommendation, POPULARITY_VERSION } from './build-recommendation.ts';
import { emptyHistory, withOrderCounts, type PurchaseHistory } from './purchase-history.ts';
import type { ScoringModel } from './scoring-model.ts';
import { lap, type PhaseTimes } from './phase-times.ts';

export interface ScoreRequest {
  features: UserFeatures;
  trigger: Trigger;
  runId: string | null;
}

export interface ScorerDeps {
  /** The champion now, or null when there is none (then everyone gets popularity). */
  model: () => ScoringModel | null;
  catalogue: () => Catalogue;
  /** `countFor`: the shoppers whose orders per category must be counted (their features lack `catOrders`). */
  history: (
    userIds: number[],
    since: Date,
    catalogue: Catalogue,
    countFor: number[],
  ) => Promise<Map<number, PurchaseHistory>>;
  opts: RecommendationOptions;
  now?: () => Date;
}

export interface Scorer {
  /** One recommendation per request, in request order; one predict call for the whole batch. */
  score(requests: readonly ScoreRequest[], phases?: PhaseTimes): Promise<Recommendation[]>;
}

async function predictAndExplain(model: ScoringModel, rows: UserFeatures[], phases?: PhaseTimes) {
  const t = performance.now();
  if (model.predictExplained) {
    const both = await model.predictExplained(rows);
    lap(phases, 'predict', t);
    return both;
  }
  const probs = await model.predict(rows);
  const wide = model.explain(rows);
  lap(phases, 'predict', t);
  return { probs, wide };
}

/**
 * Row i's scores [K] and wide contributions [W, K] in the catalogue's category order (by name; a
 * category the model lacks scores 0), or null when its prediction is unusable (popularity then).
 * When the model's categories are the catalogue's, in order (the usual case), these are views.
 */
function rowSlicer(model: ScoringModel | null, catalogue: Catalogue, n: number, wide: Float32Array | null) {
  const K = catalogue.categories.length;
  const cols = model ? catalogue.categories.map((name) => model.categories.indexOf(name)) : [];
  const MK = model?.categories.length ?? 0;
  const W = wide ? wide.length / (n * MK) : 0;
  const same = MK === K && cols.every((j, c) => j === c);
  return (probs: Float32Array, wide: Float32Array | null, i: number) => {
    const row = probs.subarray(i * MK, (i + 1) * MK);
    if (row.some((p) => !Number.isFinite(p))) return null;
    if (same) return { scores: row, wide: wide && wide.subarray(i * W * K, (i + 1) * W * K) };
    const scores = cols.map((j) => (j < 0 ? 0 : row[j]!));
    if (!wide) return { scores, wide: null };
    const mine = new Float32Array(W * K);
    for (let s = 0; s < W; s++)
      for (let c = 0; c < K; c++) mine[s * K + c] = cols[c]! < 0 ? 0 : wide[(i * W + s) * MK + cols[c]!]!;
    return { scores, wide: mine };
  };
}

export function createScorer(deps: ScorerDeps): Scorer {
  const now = deps.now ?? (() => new Date());
  return {
    async score(requests, phases) {
      if (!requests.length) return [];
      let t = performance.now();
      const catalogue = deps.catalogue();
      const model = deps.model();
      const at = now();
      const since = new Date(at.getTime() - deps.opts.recentDays * 86_400_000);
      const rows = requests.map((r) => r.features);
      const histories = await deps.history(
        rows.map((f) => f.userId),
        since,
        catalogue,
        rows.filter((f) => !f.catOrders).map((f) => f.userId),
      );
      lap(phases, 'history', t);
      const { probs, wide } = model ? await predictAndExplain(model, rows, phases) : { probs: null, wide: null };
      t = performance.now();
      const slice = rowSlicer(model, catalogue, rows.length, wide);
      const recs = requests.map((r, i) => {
        const own = probs && slice(probs, wide, i);
        const scores = own?.scores ?? catalogue.popularity;
        return buildRecommendation({
          features: r.features,
          scores,
          wide: own?.wide ?? null,
          modelVersion: own ? model!.version : POPULARITY_VERSION,
          trigger: r.trigger,
          runId: r.runId,
          catalogue,
          history: withOrderCounts(histories.get(r.features.userId) ?? emptyHistory(), r.features.catOrders),
          opts: deps.opts,
          now: at,
        });
      });
      lap(phases, 'build', t);
      return recs;
    },
  };
}
