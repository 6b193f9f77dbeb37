import { NotFoundError } from '../../core/errors.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import type { Tf } from '../backend/select-backend.ts';
import { predictProbabilities } from '../wide-deep/predict.ts';
import { wideContributions } from '../wide-deep/wide-contributions.ts';
import { loadArtifact, type LoadedModel } from './artifact.ts';
import type { Registry } from './registry.ts';

const MAX_PREDICT_BATCH = 8192;

/** What scoring holds: the champion's model behind the same encoder it was trained with. */
export interface ChampionScorer {
  version: string;
  /** Model category names; column c of every score row. */
  categories: readonly string[];
  /** Probabilities [rows.length, K], row-major; no tensor outlives the call. */
  score(rows: readonly UserFeatures[]): Float32Array;
  /** The wide part's logit contribution per active wide slot and category, [rows.length, W, K] (see WIDE_SLOTS). */
  explain(rows: readonly UserFeatures[]): Float32Array;
  /** Both from one encoding of the rows, predicting in batches of up to 8192 rows (the sweep's path). */
  scoreAndExplain(rows: readonly UserFeatures[]): { probs: Float32Array; wide: Float32Array };
  dispose(): void;
}

export async function loadChampion(deps: { tf: Tf; registry: Registry }): Promise<ChampionScorer> {
  const entry = await deps.registry.champion();
  if (!entry) throw new NotFoundError('no champion model: npm run model -- train, then promote a version');
  return scorerOf(deps.tf, await loadArtifact(deps.tf, deps.registry.pathOf(entry.version)));
}

/** Any loaded version as a scorer: one place, so the champion and a shadow score and explain alike. */
export function scorerOf(tf: Tf, { model, encoder, meta }: LoadedModel): ChampionScorer {
  const K = encoder.state.categories.length;
  // Read once: explaining then needs no tensors, only the [wideVocab, K] table of the wide ids.
  const wideTable = model.getLayer('wide_ids').getWeights()[0]!.dataSync() as Float32Array;
  const W = encoder.layout.wide;
  return {
    version: meta.version,
    categories: encoder.state.categories,
    score: (rows) => predictProbabilities(tf, model, encoder.layout, encoder.encode(rows), K),
    explain: (rows) => wideContributions(wideTable, K, encoder.encode(rows).wide, W, rows.length),
    scoreAndExplain(rows) {
      const encoded = encoder.encode(rows);
      // Per-call cost (tensor set-up, the folded graph) is large next to a row's: bigger calls, more rows/s.
      const batch = Math.min(MAX_PREDICT_BATCH, Math.max(1024, rows.length));
      return {
        probs: predictProbabilities(tf, model, encoder.layout, encoded, K, batch),
        wide: wideContributions(wideTable, K, encoded.wide, W, rows.length),
      };
    },
    dispose: () => model.dispose(),
  };
}
