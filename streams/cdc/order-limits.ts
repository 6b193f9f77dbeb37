/**
 * Business limits beyond the column types, shared by what writes orders (the importer) and what
 * reads them back from the stream (the feature consumer's validation): a value the database
 * accepts can still be nonsense for features (a refund modelled as a negative quantity, a price
 * typo), and a row the importer lets in must not be one the consumer dead-letters.
 */
export interface Limits {
  maxQuantity: number;
  maxUnitPrice: number;
  maxDeliveryCharge: number;
  earliest: Date;
  /** How far in the future a placed_at may be (clock skew), in ms. */
  futureSlackMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxQuantity: 10_000,
  maxUnitPrice: 100_000,
  maxDeliveryCharge: 10_000,
  earliest: new Date('2000-01-01T00:00:00Z'),
  futureSlackMs: 7 * 86_400_000,
};
