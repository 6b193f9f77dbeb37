/**
 * The canonical rows both layouts (DACON Korean, Kaggle English) and the generator reduce to.
 * One SalesLine is one row of Online_Sales: a product line of a transaction.
 */
export type Gender = 'F' | 'M';
export type CouponStatus = 'clicked' | 'used' | 'not_used';

export const COUPON_STATUSES: readonly CouponStatus[] = ['clicked', 'used', 'not_used'];

export interface SalesLine {
  customerId: string;
  transactionId: string;
  /** YYYY-MM-DD (the files carry dates only; orders.placed_at is that day 00:00 UTC). */
  date: string;
  sku: string;
  /** Kaggle's Product_Description; DACON has none. */
  description: string | null;
  /** Raw category, canonical spelling from the category map. */
  category: string;
  quantity: number;
  avgPrice: number;
  deliveryCharge: number;
  couponStatus: CouponStatus;
}

export interface CustomerRow {
  customerId: string;
  gender: Gender;
  region: string;
  tenureMonths: number;
}

export interface DiscountRow {
  month: number;
  category: string;
  couponCode: string;
  discountPct: number;
}

export interface TaxRow {
  category: string;
  /** A fraction: 0.18 for 18%. */
  gst: number;
}

export interface MarketingRow {
  date: string;
  offline: number;
  online: number;
}

/** A row the importer could not use, with where and why. */
export interface Reject {
  file: string;
  line: number;
  reason: string;
}

export const couponStatusLabel: Record<CouponStatus, string> = {
  clicked: 'Clicked',
  used: 'Used',
  not_used: 'Not Used',
};

/** Money as the files write it: at most two decimals, no trailing zeros (6.5, 153.71). */
export function formatMoney(x: number): string {
  return String(Math.round(x * 100) / 100);
}
