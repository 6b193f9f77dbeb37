import type { UserFeatures } from '../../streams/features/user-features.ts';

/**
 * The model as scoring uses it. `predict` is async so a worker-thread pool (createPredictPool)
 * can stand in for the in-process champion without changing the scorer.
 */
export interface ScoringModel {
  version: string;
  /** Model category names; column c of every probability row. */
  categories: readonly string[];
  /** Probabilities [rows.length, K], row-major. */
  predict(rows: readonly UserFeatures[]): Promise<Float32Array>;
  /** The wide part's contributions [rows.length, W, K], or null when the model cannot explain. */
  explain(rows: readonly UserFeatures[]): Float32Array | null;
  /** Both from one encoding, where the model predicts in this thread (absent: predict, then explain). */
  predictExplained?(rows: readonly UserFeatures[]): Promise<{ probs: Float32Array; wide: Float32Array | null }>;
  dispose(): void;
}
