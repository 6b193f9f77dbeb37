import type { OrderFacts, ProfileFacts } from '../../features/compute-features.ts';

/**
 * One shopper's full history as the feature code consumes it. Sources (the generator in
 * memory, the shop database) reduce to this; snapshots then cut it by event time.
 */
export interface ShopperHistory {
  userId: number;
  profile: ProfileFacts | null;
  /** Every order we know of, any time; the snapshot builder decides what is visible when. */
  orders: OrderFacts[];
}

/** The generator's latent truth for one shopper; absent for real shops. */
export type TrueProbabilities = (at: Date) => Float64Array;

export interface HistorySource {
  /** Model category names (index = model category); the label space. */
  readonly categories: readonly string[];
  /** Where the data came from, recorded in the model artifact. */
  readonly description: Record<string, string | number | null>;
  histories(): AsyncIterable<ShopperHistory> | Iterable<ShopperHistory>;
  /** Ground-truth next-purchase probabilities when the data is generated (the ceiling). */
  truth?(userId: number): TrueProbabilities;
}
