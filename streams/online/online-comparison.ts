/** One recommendation as the comparison needs it. */
export interface RecSeen {
  /** `champion` from recommendations.v1, `shadow` from recommendations.shadow.v1. */
  topic: 'champion' | 'shadow';
  version: string;
  userId: number;
  producedAt: number;
  /** Model category names of its top three. */
  top3: readonly string[];
}

/** One order that followed, with the model categories of its lines. */
export interface OrderSeen {
  userId: number;
  placedAt: number;
  categories: readonly string[];
}

export interface Interaction {
  modelVersion: string | null;
  type: 'impression' | 'click';
}

export interface VersionOnline {
  topic: 'champion' | 'shadow';
  version: string;
  recommendations: number;
  /** Recommendations the shopper's next order followed while they were still current. */
  followed: number;
  hits: number;
  hitRate: number | null;
  /** Wilson 95% interval of the hit rate. */
  hitRateLow: number | null;
  hitRateHigh: number | null;
  impressions: number;
  clicks: number;
  ctr: number | null;
}

/** Wilson score interval: sane at small counts and near 0 or 1, where a normal interval is not. */
export function wilson(hits: number, n: number, z = 1.96): [number, number] | [null, null] {
  if (n === 0) return [null, null];
  const p = hits / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * For each order, the recommendation of each model version that was current for that shopper when
 * it was placed (the newest produced before it) is judged on it: a hit when the order holds one of
 * its top three. A recommendation is judged once, on its first following order; one replaced before
 * any order is never judged, since it was no longer shown.
 */
function judge(recs: readonly RecSeen[], orders: readonly OrderSeen[]) {
  const byUser = new Map<number, OrderSeen[]>();
  for (const o of orders) (byUser.get(o.userId) ?? byUser.set(o.userId, []).get(o.userId)!).push(o);
  for (const list of byUser.values()) list.sort((a, b) => a.placedAt - b.placedAt);
  const streams = new Map<string, RecSeen[]>();
  for (const r of recs) {
    const k = `${r.topic}\t${r.version}\t${r.userId}`;
    (streams.get(k) ?? streams.set(k, []).get(k)!).push(r);
  }
  const out = new Map<string, { followed: number; hits: number }>();
  for (const [k, list] of streams) {
    list.sort((a, b) => a.producedAt - b.producedAt);
    const tally = out.get(k.slice(0, k.lastIndexOf('\t'))) ?? { followed: 0, hits: 0 };
    const judged = new Set<RecSeen>();
    for (const o of byUser.get(list[0]!.userId) ?? []) {
      const current = list.filter((r) => r.producedAt < o.placedAt).at(-1);
      if (!current || judged.has(current)) continue;
      judged.add(current);
      tally.followed++;
      if (current.top3.some((c) => o.categories.includes(c))) tally.hits++;
    }
    out.set(k.slice(0, k.lastIndexOf('\t')), tally);
  }
  return out;
}

/** Per model version: next-order hit rate of its top three, and click-through on the storefront. */
export function compareOnline(
  recs: readonly RecSeen[],
  orders: readonly OrderSeen[],
  interactions: readonly Interaction[],
): VersionOnline[] {
  const judged = judge(recs, orders);
  const versions = new Map<string, VersionOnline>();
  for (const r of recs) {
    const key = `${r.topic}\t${r.version}`;
    let v = versions.get(key);
    if (!v) {
      const t = judged.get(key) ?? { followed: 0, hits: 0 };
      const [lo, hi] = wilson(t.hits, t.followed);
      v = {
        topic: r.topic,
        version: r.version,
        recommendations: 0,
        ...t,
        hitRate: t.followed ? t.hits / t.followed : null,
        hitRateLow: lo,
        hitRateHigh: hi,
        impressions: 0,
        clicks: 0,
        ctr: null,
      };
      versions.set(key, v);
    }
    v.recommendations++;
  }
  for (const v of versions.values()) {
    const mine = interactions.filter((i) => i.modelVersion === v.version);
    v.impressions = mine.filter((i) => i.type === 'impression').length;
    v.clicks = mine.filter((i) => i.type === 'click').length;
    v.ctr = v.impressions ? v.clicks / v.impressions : null;
  }
  return [...versions.values()].sort((a, b) => a.topic.localeCompare(b.topic) || a.version.localeCompare(b.version));
}
