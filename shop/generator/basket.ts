import { geometric, pickCumulative, type Rng } from '../rng.ts';
import { COUPON_STATUSES, type CouponStatus } from '../shop-rows.ts';
import type { Catalog, Product } from './catalog.ts';
import type { PreferenceModel, Shopper } from './preferences.ts';

export interface GeneratedLine {
  product: Product;
  quantity: number;
}

export interface GeneratedBasket {
  couponStatus: CouponStatus;
  deliveryCharge: number;
  lines: GeneratedLine[];
}

/** What one transaction contains, given who buys and when; shared by generator and simulator. */
export interface BasketSampler {
  sample(shopper: Shopper, day: number, rng: Rng): GeneratedBasket;
}

// Lines per transaction = 1 + Geometric: mean 1 + q/(1-q) = 2.112 (52,924 / 25,061).
const EXTRA_LINE_Q = 0.5265;
// Quantity: 1 with probability 0.62, else 2 + floor(LogNormal(mu, sigma)) capped at 900.
// mu, sigma solve P(q <= 15.5) = 0.95 (p95 16) and ~3 lines at the 900 cap among 52,924.
const QTY_ONE = 0.62;
const QTY_MU = 0.833;
const QTY_SIGMA = 1.648;
const QTY_MAX = 900;
const canadaName = 'Nest-Canada';

export function sampleQuantity(rng: Rng): number {
  if (rng.next() < QTY_ONE) return 1;
  return Math.min(QTY_MAX, 2 + Math.floor(Math.exp(QTY_MU + QTY_SIGMA * rng.normal())));
}

/**
 * Delivery charge: not among the calibrated statistics; shaped like the real column
 * (6.5 flat, 8.7 when Canadian stock ships, more for bulk orders).
 */
export function deliveryCharge(lines: GeneratedLine[], canadaRaw: number): number {
  let qty = 0;
  let canada = false;
  for (const l of lines) {
    qty += l.quantity;
    if (l.product.rawIndex === canadaRaw) canada = true;
  }
  const base = canada ? 8.7 : 6.5;
  return qty <= 25 ? base : Math.round((base + 0.9 * (qty - 25)) * 100) / 100;
}

export function createBasketSampler(deps: {
  model: PreferenceModel;
  catalog: Catalog;
  rawNames: readonly string[];
}): BasketSampler {
  const { model, catalog } = deps;
  const m = model.categories.length;
  const p = new Float64Array(m);
  const canadaRaw = deps.rawNames.indexOf(canadaName);

  // The shelf (raw category) of the next line, drawn from the shopper's true probabilities.
  const pickShelf = (rng: Rng) => {
    let u = rng.next();
    let c = 0;
    while (c < m - 1 && u >= p[c]!) u -= p[c++]!;
    const within = catalog.rawWithinModel[c]!;
    return catalog.shelves[
      within.raw.length === 1 ? within.raw[0]! : within.raw[pickCumulative(within.cum, rng.next())]!
    ]!;
  };
  const pickFrom = (shelf: Catalog['shelves'][number], rng: Rng) =>
    shelf.products[pickCumulative(shelf.popularity, rng.next())]!;
  const has = (lines: GeneratedLine[], product: Product) => lines.some((l) => l.product === product);

  return {
    sample(shopper, day, rng) {
      model.probabilitiesAtDay(shopper, day, p);
      const u = rng.next();
      const couponStatus = COUPON_STATUSES[u < shopper.couponCum[0]! ? 0 : u < shopper.couponCum[1]! ? 1 : 2]!;
      const n = 1 + geometric(rng, EXTRA_LINE_Q);
      const lines: GeneratedLine[] = [];
      for (let i = 0; i < n; i++) {
        const shelf = pickShelf(rng);
        // A live shop may lack a category's products: the line is dropped.
        if (shelf.products.length === 0) continue;
        // A transaction lists a product once (as in the real files). Re-draw within the same
        // shelf so the line's category stays a draw from p; drop the line if it keeps repeating.
        let product = pickFrom(shelf, rng);
        for (let t = 0; t < 8 && has(lines, product); t++) product = pickFrom(shelf, rng);
        if (has(lines, product)) continue;
        lines.push({ product, quantity: sampleQuantity(rng) });
      }
      return { couponStatus, deliveryCharge: deliveryCharge(lines, canadaRaw), lines };
    },
  };
}
