/**
 * What the generator must reproduce at the default scale: the published statistics of the
 * DACON / Kaggle e-commerce data (Google Merchandise Store, 2019). Values marked
 * `published: false` are not in the list; they are plausible estimates that keep the
 * shop looking like the real one and are not asserted tightly by the tests.
 */
export interface RawCategoryTarget {
  name: string;
  /** Order lines in the real data (52,924 in all). */
  lines: number;
  /** Mean Avg_Price over the category's lines. */
  meanPrice: number;
  pricePublished: boolean;
  /** Distinct SKUs sold (estimate; the real total is 1,145). */
  products: number;
  /** Coupon-code prefix used in Discount_Coupon.csv; null: the category never has a coupon. */
  couponPrefix: string | null;
}

export interface Calibration {
  shoppers: number;
  transactions: number;
  lines: number;
  products: number;
  firstDate: string;
  lastDate: string;
  /** Mean number of distinct calendar months in which a shopper buys. */
  activeMonthsPerShopper: number;
  gender: { F: number; M: number };
  /** Shopper counts by region at the default scale. */
  regions: Record<string, number>;
  tenureMonths: { min: number; max: number };
  /** Line shares by coupon status. */
  couponStatus: { clicked: number; used: number; not_used: number };
  quantity: { median: number; p95: number; max: number };
  categories: RawCategoryTarget[];
  /** Relative weight of each month in first purchases (estimate, published: false). */
  monthWeights: number[];
  /** GST by raw category as in Tax_amount (estimate: 10% unless listed). */
  gst: Record<string, number>;
}

const cat = (
  name: string,
  lines: number,
  meanPrice: number,
  pricePublished: boolean,
  products: number,
  couponPrefix: string | null,
): RawCategoryTarget => ({ name, lines, meanPrice, pricePublished, products, couponPrefix });

export const REAL_DATA: Calibration = {
  shoppers: 1468,
  transactions: 25061,
  lines: 52924,
  products: 1145,
  firstDate: '2019-01-01',
  lastDate: '2019-12-31',
  activeMonthsPerShopper: 1.8,
  gender: { F: 0.636, M: 0.364 },
  regions: { California: 464, Chicago: 456, 'New York': 324, 'New Jersey': 149, 'Washington DC': 75 },
  tenureMonths: { min: 2, max: 50 },
  couponStatus: { clicked: 0.509, used: 0.338, not_used: 0.153 },
  quantity: { median: 1, p95: 16, max: 900 },
  categories: [
    cat('Apparel', 18126, 19.79, true, 430, 'SALE'),
    cat('Nest-USA', 14013, 124.33, true, 22, 'ELEC'),
    cat('Office', 6513, 3.77, true, 190, 'OFF'),
    cat('Drinkware', 3483, 10.5, false, 110, 'EXTRA'),
    cat('Lifestyle', 3092, 5.5, false, 100, 'EXTRA'),
    cat('Nest', 2198, 194.22, true, 22, 'ELEC'),
    cat('Bags', 1882, 13.0, false, 50, 'EXTRA'),
    cat('Headgear', 771, 18.5, false, 40, 'HGEAR'),
    cat('Notebooks & Journals', 749, 9.0, false, 25, 'NJ'),
    cat('Waze', 554, 6.5, false, 20, 'WEMP'),
    cat('Nest-Canada', 317, 160.0, false, 12, 'NCA'),
    cat('Bottles', 268, 5.0, false, 12, 'BT'),
    cat('Accessories', 234, 10.0, false, 25, 'AIO'),
    cat('Fun', 160, 7.0, false, 14, null),
    cat('Gift Cards', 159, 60.0, false, 10, 'GC'),
    cat('Housewares', 122, 4.0, false, 20, 'HOU'),
    cat('Google', 105, 16.0, false, 15, null),
    cat('Backpacks', 89, 75.0, false, 10, 'EXTRA'),
    cat('More Bags', 46, 15.0, false, 10, 'EXTRA'),
    cat('Android', 43, 12.0, false, 8, 'AND'),
  ],
  monthWeights: [2100, 1600, 1900, 1800, 1600, 1700, 2200, 2500, 1800, 2100, 2600, 3200],
  gst: { Apparel: 0.18, Office: 0.1, Drinkware: 0.18, Lifestyle: 0.18, Bags: 0.18, Headgear: 0.05, 'Gift Cards': 0.05 },
};

/**
 * How close generated statistics must be to REAL_DATA at the default scale (asserted by
 * generator.unit.test.ts). Relative tolerances unless named `abs`.
 */
export const TOLERANCE = {
  /** transactions, lines (transaction counts are stratified; lines per transaction are random). */
  countsRel: 0.03,
  linesPerTransactionRel: 0.03,
  activeMonthsRel: 0.05,
  genderAbs: 0.005,
  couponShareAbs: 0.02,
  /** Categories with >= 5% of lines: relative; smaller ones: absolute share. */
  bigCategoryRel: 0.08,
  smallCategoryAbs: 0.006,
  /** Published per-category mean prices (popularity-weighted over the realised lines). */
  meanPriceRel: 0.1,
  quantityP95Abs: 2,
  /** At least this share of the catalog is sold at the default scale. */
  productsSoldMin: 0.95,
} as const;

export const totalLines = (c: Calibration): number => c.categories.reduce((a, x) => a + x.lines, 0);
