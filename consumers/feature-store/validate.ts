import type { OrderItemRow, OrderRow, ProductRow } from '../../streams/cdc/tables.ts';
import { ValidationError } from '../../core/errors.ts';

import { DEFAULT_LIMITS, type Limits } from '../../streams/cdc/order-limits.ts';

export { DEFAULT_LIMITS, type Limits } from '../../streams/cdc/order-limits.ts';

const fail = (path: string, msg: string) => new ValidationError(`${path}: ${msg}`, { path });

export function checkOrderItem(r: OrderItemRow, l: Limits = DEFAULT_LIMITS): ValidationError | null {
  if (r.quantity <= 0) return fail('value.after.quantity', `must be positive, got ${r.quantity}`);
  if (r.quantity > l.maxQuantity)
    return fail('value.after.quantity', `absurd quantity ${r.quantity} (> ${l.maxQuantity})`);
  if (r.unitPrice < 0) return fail('value.after.unit_price', `must not be negative, got ${r.unitPrice}`);
  if (r.unitPrice > l.maxUnitPrice)
    return fail('value.after.unit_price', `absurd unit price ${r.unitPrice} (> ${l.maxUnitPrice})`);
  return null;
}

export function checkOrder(r: OrderRow, now: Date, l: Limits = DEFAULT_LIMITS): ValidationError | null {
  if (r.deliveryCharge < 0) return fail('value.after.delivery_charge', `must not be negative, got ${r.deliveryCharge}`);
  if (r.deliveryCharge > l.maxDeliveryCharge)
    return fail('value.after.delivery_charge', `absurd delivery charge ${r.deliveryCharge}`);
  if (r.placedAt < l.earliest)
    return fail('value.after.placed_at', `before ${l.earliest.toISOString()}: ${r.placedAt.toISOString()}`);
  if (r.placedAt.getTime() > now.getTime() + l.futureSlackMs)
    return fail('value.after.placed_at', `in the future: ${r.placedAt.toISOString()}`);
  return null;
}

export function checkProduct(r: ProductRow, l: Limits = DEFAULT_LIMITS): ValidationError | null {
  if (r.price < 0) return fail('value.after.price', `must not be negative, got ${r.price}`);
  if (r.price > l.maxUnitPrice) return fail('value.after.price', `absurd price ${r.price}`);
  return null;
}
