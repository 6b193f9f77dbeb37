import { formatMoney, type SalesLine } from '../shop-rows.ts';
import { isoDate } from './time.ts';
import type { GeneratedShopper } from './shop-generator.ts';

/**
 * A generated shopper's history as canonical rows (what the importer would read back from the
 * CSV). Prices and charges are rounded to cents exactly as the CSV writer prints them.
 */
export function toSalesLines(g: GeneratedShopper, rawNames: readonly string[]): SalesLine[] {
  const out: SalesLine[] = [];
  for (const t of g.transactions) {
    const date = isoDate(t.day);
    const deliveryCharge = Number(formatMoney(t.deliveryCharge));
    for (const l of t.lines) {
      out.push({
        customerId: g.customer.customerId,
        transactionId: String(t.transactionId),
        date,
        sku: l.product.sku,
        description: l.product.description,
        category: rawNames[l.product.rawIndex]!,
        quantity: l.quantity,
        avgPrice: Number(formatMoney(l.product.price)),
        deliveryCharge,
        couponStatus: t.couponStatus,
      });
    }
  }
  return out;
}
