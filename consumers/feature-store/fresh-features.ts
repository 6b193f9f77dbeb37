import { computeUserFeatures, type OrderFacts } from '../../features/compute-features.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import { categoryAt } from './base-state.ts';
import { COUPONS, GENDERS, STATUSES, type FreshState } from './fresh-state.ts';
import type { UserFacts } from './load-facts.ts';

type VersionList = { pos: string; category: number }[];

/**
 * Sets each line's category (items.category, NaN for none) to the one in force at its own
 * position, from the complete product versions: what the live path converges to once every
 * product event has been applied (applyProducts re-resolves lines at and after a new version,
 * and the final pass resolves the lines still without one).
 */
export function resolveLineCategories(s: FreshState): void {
  const sorted = new Map<number, VersionList>();
  for (const [product, v] of s.versions)
    sorted.set(
      product,
      [...v].map(([pos, category]) => ({ pos, category })).sort((a, b) => (a.pos < b.pos ? -1 : a.pos > b.pos ? 1 : 0)),
    );
  const c = s.items.cols;
  for (let r = 0; r < s.items.size; r++) {
    const versions = sorted.get(c.productId[r]!);
    // One version (the usual case) is in force at every position: no position string needed.
    const cat =
      versions?.length === 1
        ? versions[0]!.category
        : categoryAt(versions, s.positions.key(c.file[r]!, c.pos[r]!, c.row[r]!));
    c.category[r] = cat ?? NaN;
  }
}

/** Rows grouped by an owner row (CSR): members of owner o are list[start[o] .. start[o+1]). */
interface Groups {
  start: Int32Array;
  list: Int32Array;
}

/** Groups member rows (in the order given) by owner row; owner -1 leaves a member out. */
function groupBy(members: Int32Array, ownerOf: (member: number) => number, owners: number): Groups {
  const ownerRows = new Int32Array(members.length);
  const counts = new Int32Array(owners + 1);
  let kept = 0;
  for (let k = 0; k < members.length; k++) {
    const o = ownerOf(members[k]!);
    ownerRows[k] = o;
    if (o < 0) continue;
    kept++;
    counts[o + 1]!++;
  }
  for (let k = 0; k < owners; k++) counts[k + 1]! += counts[k]!;
  const fill = counts.slice(0, owners);
  const list = new Int32Array(kept);
  for (let k = 0; k < members.length; k++) if (ownerRows[k]! >= 0) list[fill[ownerRows[k]!]!++] = members[k]!;
  return { start: counts, list };
}

/**
 * The facts of every shopper not deleted, in ascending id order and `chunk` shoppers at a time,
 * built as load-facts.ts builds them from the tables (orders and lines not deleted, lines in
 * item order, unknown categories as -1, the deleted ones' commit times in sourceTs and asOf).
 * Needs resolveLineCategories first.
 */
export function* userFactsInChunks(s: FreshState, chunk = 2_000): Generator<UserFacts[]> {
  const { users, orders, items } = s;
  const u = users.cols,
    o = orders.cols,
    i = items.cols;
  const liveUser = (id: number) => {
    const r = users.row(id);
    return r >= 0 && !u.deleted[r] ? r : -1;
  };
  // Deleted orders, and deleted lines of live orders, count for nothing but their commit time, as
  // in load-facts.ts (a deletion is a change, and the features after it carry its time); a deleted
  // order's lines are not looked at.
  const ordersOf = groupBy(
    Int32Array.from({ length: orders.size }, (_, r) => r),
    (r) => liveUser(o.userId[r]!),
    users.size,
  );
  const liveOrder = (id: number) => {
    const r = orders.row(id);
    return r >= 0 && !o.deleted[r] && liveUser(o.userId[r]!) >= 0 ? r : -1;
  };
  const linesOf = groupBy(items.rowsById(), (r) => liveOrder(i.orderId[r]!), orders.size);
  const modelIndex = (cat: number) => (Number.isNaN(cat) ? -1 : (s.categories.get(cat)?.modelIndex ?? -1));
  let out: UserFacts[] = [];
  for (const ur of users.rowsById()) {
    if (u.deleted[ur]) continue;
    let sourceTs = u.ts[ur]!,
      asOf = u.ts[ur]!;
    const facts: OrderFacts[] = [];
    for (let k = ordersOf.start[ur]!; k < ordersOf.start[ur + 1]!; k++) {
      const or = ordersOf.list[k]!;
      const changed = o.statusChangedAt[or]!;
      const lines = [];
      sourceTs = Math.max(sourceTs, o.ts[or]!);
      if (o.deleted[or]) {
        asOf = Math.max(asOf, o.ts[or]!);
        continue;
      }
      for (let m = linesOf.start[or]!; m < linesOf.start[or + 1]!; m++) {
        const ir = linesOf.list[m]!;
        sourceTs = Math.max(sourceTs, i.ts[ir]!);
        asOf = Math.max(asOf, i.ts[ir]!);
        if (i.deleted[ir]) continue;
        lines.push({ category: modelIndex(i.category[ir]!), quantity: i.quantity[ir]!, unitPrice: i.unitPrice[ir]! });
      }
      facts.push({
        orderId: orders.ids[or]!,
        placedAt: new Date(o.placedAt[or]!),
        status: STATUSES[o.status[or]!]!,
        statusChangedAt: Number.isNaN(changed) ? null : new Date(changed),
        couponStatus: COUPONS[o.coupon[or]!]!,
        deliveryCharge: o.deliveryCharge[or]!,
        lines,
      });
      asOf = Math.max(asOf, o.ts[or]!, o.placedAt[or]!, Number.isNaN(changed) ? -Infinity : changed);
    }
    const profile = {
      gender: GENDERS[u.gender[ur]!]!,
      region: s.regions[u.region[ur]!]!,
      tenureMonths: u.tenureMonths[ur]!,
    };
    out.push({ userId: users.ids[ur]!, profile, orders: facts, sourceTs: new Date(sourceTs), asOf: new Date(asOf) });
    if (out.length >= chunk) {
      yield out;
      out = [];
    }
  }
  if (out.length) yield out;
}

/** Features of every shopper not deleted, in ascending id order, computed one chunk at a time. */
export function* freshFeatures(s: FreshState, numCategories: number, chunk = 2_000): Generator<UserFeatures[]> {
  for (const facts of userFactsInChunks(s, chunk))
    yield facts.map((f) =>
      computeUserFeatures(
        { userId: f.userId, profile: f.profile, orders: f.orders, asOf: f.asOf, sourceTs: f.sourceTs },
        { numCategories },
      ),
    );
}
