import { createShopGenerator, type GeneratedShopper } from '../../shop/generator/shop-generator.ts';
import type { OrderFacts } from '../../features/compute-features.ts';
import type { HistorySource, ShopperHistory } from './shopper-history.ts';

/**
 * The one adapter between the model and the data engineer's generator (shop/generator):
 * if its API moves, only this file changes. Assumed: createShopGenerator({ seed, shoppers,
 * strength }) yields shoppers in index order with `transactions` (day since 2019-01-01, lines
 * of products carrying `modelIndex`), and `model.trueCategoryProbabilities(shopper, at)` is the
 * true next-line category distribution at `at`.
 *
 * User ids are index + 1 (what the importer assigns to a fresh database in file order), and
 * orders are placed at 00:00 UTC of their day, as the importer stores the files' dates.
 */
export interface GeneratedSourceOptions {
  seed: number;
  shoppers: number;
  strength?: number;
}

const DAY_MS = 86_400_000;
const EPOCH_2019_MS = Date.UTC(2019, 0, 1);

export function toShopperHistory(g: GeneratedShopper): ShopperHistory {
  const orders: OrderFacts[] = g.transactions.map((t) => ({
    orderId: t.transactionId,
    placedAt: new Date(EPOCH_2019_MS + t.day * DAY_MS),
    status: 'paid',
    statusChangedAt: null,
    couponStatus: t.couponStatus,
    deliveryCharge: t.deliveryCharge,
    lines: t.lines.map((l) => ({ category: l.product.modelIndex, quantity: l.quantity, unitPrice: l.product.price })),
  }));
  const { gender, region, tenureMonths } = g.customer;
  return { userId: g.index + 1, profile: { gender, region, tenureMonths }, orders };
}

export function createGeneratedSource(opts: GeneratedSourceOptions): HistorySource {
  const gen = createShopGenerator({ seed: opts.seed, shoppers: opts.shoppers, strength: opts.strength });
  return {
    categories: gen.categoryMap.model,
    description: { kind: 'generated', seed: opts.seed, shoppers: opts.shoppers, strength: gen.model.strength },
    *histories() {
      for (const g of gen.generate()) yield toShopperHistory(g);
    },
    truth(userId) {
      const shopper = gen.shopperAt(userId - 1);
      return (at) => gen.model.trueCategoryProbabilities(shopper, at);
    },
  };
}
