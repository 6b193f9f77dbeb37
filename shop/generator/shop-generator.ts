import { REAL_DATA, type Calibration } from '../calibration.ts';
import { createCategoryMap, type CategoryMap } from '../../features/category-map.ts';
import { createRng, hashString } from '../rng.ts';
import type { CustomerRow, DiscountRow, TaxRow } from '../shop-rows.ts';
import { createActivityModel } from './activity.ts';
import { createBasketSampler, type GeneratedBasket } from './basket.ts';
import { createCatalog, createDiscounts, createTaxes, type Catalog } from './catalog.ts';
import { createPopulation } from './population.ts';
import { createPreferenceModel, type PreferenceModel, type Shopper } from './preferences.ts';

export interface GeneratorOptions {
  seed: number;
  shoppers: number;
  /** Signal vs noise; see preferences.ts and README. Default DEFAULT_STRENGTH. */
  strength?: number;
  /**
   * Aim for about this many order lines in all by scaling every shopper's number of
   * transactions (default: the real data's 36 lines per shopper).
   */
  targetLines?: number;
  categoryMap?: CategoryMap;
  calibration?: Calibration;
}

export interface GeneratedTransaction extends GeneratedBasket {
  transactionId: number;
  /** Days since 2019-01-01. */
  day: number;
}

export interface GeneratedShopper {
  index: number;
  customer: CustomerRow;
  shopper: Shopper;
  transactions: GeneratedTransaction[];
}

export interface ShopGenerator {
  readonly seed: number;
  readonly shoppers: number;
  readonly categoryMap: CategoryMap;
  readonly catalog: Catalog;
  readonly discounts: DiscountRow[];
  readonly taxes: TaxRow[];
  readonly model: PreferenceModel;
  /** Expected order lines in all (for progress). */
  readonly expectedLines: number;
  /** The shopper at an index, with its latent state, without generating anyone else. */
  shopperAt(index: number): Shopper;
  /** Shopper by shopper; one shopper's transactions at a time in memory. */
  generate(): Generator<GeneratedShopper>;
}

/** Transaction ids continue Kaggle's numbering (its first id is 16679). */
export const FIRST_TRANSACTION_ID = 16679;
const LINES_PER_TRANSACTION = 2.112;

export function createShopGenerator(opts: GeneratorOptions): ShopGenerator {
  const calibration = opts.calibration ?? REAL_DATA;
  const categoryMap = opts.categoryMap ?? createCategoryMap();
  const { seed, shoppers } = opts;
  const catalog = createCatalog({ seed, calibration, categoryMap });
  const discounts = createDiscounts({ calibration, categoryMap });
  const model = createPreferenceModel({ seed, strength: opts.strength, categoryMap, calibration, discounts });
  const population = createPopulation({ seed, shoppers, calibration });
  const naturalLines = (calibration.transactions / calibration.shoppers) * LINES_PER_TRANSACTION * shoppers;
  const scale = opts.targetLines ? opts.targetLines / naturalLines : 1;
  const activity = createActivityModel({ calibration, scale });
  const baskets = createBasketSampler({ model, catalog, rawNames: categoryMap.raw });
  const shopperAt = (index: number) => model.shopper(population.attributesAt(index));

  return {
    seed,
    shoppers,
    categoryMap,
    catalog,
    discounts,
    model,
    taxes: createTaxes({ calibration, categoryMap }),
    expectedLines: Math.round(activity.meanTransactions * LINES_PER_TRANSACTION * shoppers),
    shopperAt,
    *generate() {
      let nextId = FIRST_TRANSACTION_ID;
      for (let index = 0; index < shoppers; index++) {
        const customer = population.attributesAt(index);
        const shopper = model.shopper(customer);
        // Per-shopper stream: a shopper's history does not depend on who was generated before.
        const rng = createRng(seed, hashString('transactions'), shopper.key);
        const days = activity.schedule(rng, population.activityQuantileAt(index));
        const transactions: GeneratedTransaction[] = new Array(days.length);
        for (let t = 0; t < days.length; t++) {
          transactions[t] = { transactionId: nextId++, day: days[t]!, ...baskets.sample(shopper, days[t]!, rng) };
        }
        yield { index, customer, shopper, transactions };
      }
    },
  };
}
