import type { Calibration } from '../calibration.ts';
import type { CategoryMap } from '../../features/category-map.ts';
import { createRng, cumulative, hashString, permutation, type Rng } from '../rng.ts';
import type { DiscountRow, TaxRow } from '../shop-rows.ts';

export interface Product {
  index: number;
  sku: string;
  description: string;
  rawIndex: number;
  modelIndex: number;
  /** Unit price (Avg_Price of every line of this product). */
  price: number;
}

export interface CategoryShelf {
  products: Product[];
  /** Cumulative popularity (Zipf over a seeded rank) for pickCumulative. */
  popularity: Float64Array;
}

export interface Catalog {
  products: Product[];
  /** By raw category index. */
  shelves: CategoryShelf[];
  /** By model category index: cumulative real line shares of its raw members. */
  rawWithinModel: { raw: readonly number[]; cum: Float64Array }[];
}

// Zipf exponent for popularity within a shelf: a few hero products (the Nest thermostat, the
// hero tee) carry most lines, as in the real data.
const ZIPF = 1.1;
const PRICE_SIGMA = 0.5;

const NOUNS: Record<string, string[]> = {
  Apparel: [
    "Men's Short Sleeve Tee",
    "Women's Hero Tee",
    'Pullover Hoodie',
    'Microfleece Jacket',
    'Youth Tee',
    'Onesie',
  ],
  'Nest-USA': ['Learning Thermostat - USA', 'Cam Indoor Security Camera - USA', 'Protect Smoke + CO Alarm - USA'],
  Office: ['Ballpoint Pen', 'Spiral Notebook and Pen Set', 'Laptop Stickers', 'Badge Holder', 'Highlighter Set'],
  Drinkware: ['Ceramic Mug', 'Insulated Bottle', 'Sport Bottle', 'Tumbler'],
  Lifestyle: ['Selfie Stick', 'Kick Ball', 'Dog Frisbee', 'Sunglasses', 'Pet Bowl'],
  Nest: ['Learning Thermostat', 'Cam Outdoor Security Camera', 'Protect Smoke Alarm'],
  Bags: ['Canvas Tote', 'Shopping Bag', 'Sport Bag', 'Laptop Sleeve'],
  Headgear: ['Trucker Hat', '5-Panel Cap', 'Beanie', 'Wool Cap'],
  'Notebooks & Journals': ['Spiral Journal with Pen', 'Hard Cover Journal', 'Sticky Note Pad'],
  Waze: ['Mobile Phone Vent Mount', 'Dashboard Sticker', 'Car Charger'],
  'Nest-Canada': ['Learning Thermostat - CA', 'Cam Indoor Security Camera - CA', 'Protect Smoke Alarm - CA'],
  Bottles: ['Water Bottle', 'Glass Bottle', 'Infuser Bottle'],
  Accessories: ['Power Bank', 'Earbuds', 'Phone Card Holder', 'Cable Organizer'],
  Fun: ['Luggage Tag', 'Toy Set', 'Puzzle'],
  'Gift Cards': ['Gift Card'],
  Housewares: ['Kitchen Towel', 'Coaster Set', 'Lunch Bag'],
  Google: ['Decal', 'Lapel Pin', 'Keychain'],
  Backpacks: ['Alpine Style Backpack', 'Classic Rucksack', 'Commuter Backpack'],
  'More Bags': ['Duffel Bag', 'Drawstring Bag', 'Messenger Bag'],
  Android: ['Windup Android', 'Android Sticker Sheet', 'Android Plush'],
};
const BRANDS = ['Google', 'YouTube', 'Android', 'Google Cloud'];
const brandOf = (rawName: string, rng: Rng): string =>
  rawName.startsWith('Nest') ? 'Nest' : rawName === 'Waze' ? 'Waze' : BRANDS[rng.int(BRANDS.length)]!;
const COLORS = ['Black', 'Navy', 'White', 'Red', 'Grey', 'Charcoal', 'Sky Blue', 'Green', 'Heather'];

export function createCatalog(deps: { seed: number; calibration: Calibration; categoryMap: CategoryMap }): Catalog {
  const { seed, calibration, categoryMap } = deps;
  const rng = createRng(seed, hashString('catalog'));
  const products: Product[] = [];
  const shelves = categoryMap.raw.map((rawName, rawIndex) => {
    const target = calibration.categories.find((c) => categoryMap.rawIndex(c.name) === rawIndex);
    const count = target?.products ?? 10;
    const shelf = makeShelf(rng, rawName, rawIndex, categoryMap.rawToModel[rawIndex]!, count, products.length);
    rescalePrices(shelf, target?.meanPrice ?? 20);
    products.push(...shelf.products);
    return shelf;
  });
  const rawWithinModel = categoryMap.model.map((_, m) => {
    const raw = categoryMap.rawOfModel(m);
    const lines = raw.map((r) => calibration.categories.find((c) => categoryMap.rawIndex(c.name) === r)?.lines ?? 1);
    return { raw, cum: cumulative(lines) };
  });
  return { products, shelves, rawWithinModel };
}

function makeShelf(
  rng: Rng,
  rawName: string,
  rawIndex: number,
  modelIndex: number,
  count: number,
  first: number,
): CategoryShelf {
  const rank = permutation(rng, count);
  const nouns = NOUNS[rawName] ?? ['Item'];
  const code = rawName
    .replace(/[^A-Za-z]/g, '')
    .toUpperCase()
    .padEnd(2, 'X')
    .slice(0, 2);
  const products: Product[] = [];
  const weights: number[] = [];
  for (let j = 0; j < count; j++) {
    const index = first + j;
    const letters = String.fromCharCode(65 + rng.int(26), 65 + rng.int(26));
    const noun = nouns[rng.int(nouns.length)]!;
    const description = `${brandOf(rawName, rng)} ${noun} ${COLORS[rng.int(COLORS.length)]}`;
    const price = Math.exp(PRICE_SIGMA * rng.normal());
    products.push({
      index,
      sku: `GGOE${code}${letters}${String(10000 + index * 37).padStart(6, '0')}`,
      description,
      rawIndex,
      modelIndex,
      price,
    });
    weights.push(1 / Math.pow(rank[j]! + 1, ZIPF));
  }
  return { products, popularity: cumulative(weights) };
}

/** Scales prices so the popularity-weighted mean (what line averages converge to) is the target. */
function rescalePrices(shelf: CategoryShelf, meanPrice: number): void {
  const total = shelf.popularity[shelf.popularity.length - 1]!;
  let weighted = 0;
  shelf.products.forEach((p, j) => {
    weighted += p.price * (shelf.popularity[j]! - (j > 0 ? shelf.popularity[j - 1]! : 0));
  });
  const factor = meanPrice / (weighted / total);
  for (const p of shelf.products) p.price = Math.max(0.5, Math.round(p.price * factor * 100) / 100);
}

const PCTS = [10, 20, 30];

/** One coupon per (month, category that has coupons): the Discount_Coupon layout. */
export function createDiscounts(deps: { calibration: Calibration; categoryMap: CategoryMap }): DiscountRow[] {
  const rows: DiscountRow[] = [];
  for (let month = 1; month <= 12; month++) {
    for (const c of deps.calibration.categories) {
      const category = deps.categoryMap.canonicalRaw(c.name);
      if (!c.couponPrefix || !category) continue;
      const discountPct = PCTS[(month - 1) % 3]!;
      rows.push({ month, category, couponCode: `${c.couponPrefix}${discountPct}`, discountPct });
    }
  }
  return rows;
}

export function createTaxes(deps: { calibration: Calibration; categoryMap: CategoryMap }): TaxRow[] {
  return deps.categoryMap.raw.map((category) => ({ category, gst: deps.calibration.gst[category] ?? 0.1 }));
}
