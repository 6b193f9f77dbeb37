import { computeUserFeatures, type OrderFacts } from '../../features/compute-features.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import { categoryAt } from './base-state.ts';
import type { FreshState } from './fresh-state.ts';
import type { UserFacts } from './load-facts.ts';

type VersionList = { pos: string; category: number }[];

/**
 * Each line's category at its own position, from the complete product versions: what the live
 * path converges to once every product event has been applied (applyProducts re-resolves lines at
 * and after a new version, and the final pass resolves the lines still without one).
 */
export function lineCategories(s: FreshState): Map<number, number | null> {
  const sorted = new Map<number, VersionList>();
  for (const [product, v] of s.versions)
    sorted.set(
      product,
      [...v].map(([pos, category]) => ({ pos, category })).sort((a, b) => (a.pos < b.pos ? -1 : a.pos > b.pos ? 1 : 0)),
    );
  const out = new Map<number, number | null>();
  for (const [id, item] of s.items) out.set(id, categoryAt(sorted.get(item.productId), item.pos));
  return out;
}

const later = (a: Date, b: Date | null) => (b && b.getTime() > a.getTime() ? b : a);

/**
 * The facts of every shopper not deleted, built as load-facts.ts builds them from the tables
 * (orders and lines not deleted, lines in item order, unknown categories as -1).
 */
export function allUserFacts(s: FreshState, categoryOf: Map<number, number | null>): UserFacts[] {
  const byUser = new Map<number, UserFacts>();
  for (const id of [...s.users.keys()].sort((a, b) => a - b)) {
    const u = s.users.get(id)!;
    if (u.deleted) continue;
    const profile = { gender: u.gender, region: u.region, tenureMonths: u.tenureMonths };
    byUser.set(id, { userId: id, profile, orders: [], sourceTs: u.ts, asOf: u.ts });
  }
  const byOrder = new Map<number, { facts: OrderFacts; user: UserFacts }>();
  for (const [orderId, o] of s.orders) {
    const user = byUser.get(o.userId);
    if (!user || o.deleted) continue;
    const facts: OrderFacts = {
      orderId,
      placedAt: o.placedAt,
      status: o.status,
      statusChangedAt: o.statusChangedAt,
      couponStatus: o.couponStatus,
      deliveryCharge: o.deliveryCharge,
      lines: [],
    };
    user.orders.push(facts);
    byOrder.set(orderId, { facts, user });
    user.sourceTs = later(user.sourceTs, o.ts);
    user.asOf = later(later(later(user.asOf, o.ts), o.placedAt), o.statusChangedAt);
  }
  for (const id of [...s.items.keys()].sort((a, b) => a - b)) {
    const i = s.items.get(id)!;
    const o = i.deleted ? undefined : byOrder.get(i.orderId);
    if (!o) continue;
    const cat = categoryOf.get(id);
    const modelIndex = cat === null || cat === undefined ? -1 : (s.categories.get(cat)?.modelIndex ?? -1);
    o.facts.lines.push({ category: modelIndex, quantity: i.quantity, unitPrice: i.unitPrice });
    if (i.ts > o.user.sourceTs.getTime()) o.user.sourceTs = new Date(i.ts);
    if (i.ts > o.user.asOf.getTime()) o.user.asOf = new Date(i.ts);
  }
  return [...byUser.values()];
}

export function freshFeatures(facts: UserFacts[], numCategories: number): UserFeatures[] {
  return facts.map((f) =>
    computeUserFeatures(
      { userId: f.userId, profile: f.profile, orders: f.orders, asOf: f.asOf, sourceTs: f.sourceTs },
      { numCategories },
    ),
  );
}
