import { wilson, type Interaction, type OrderSeen, type RecSeen, type VersionOnline } from './online-comparison.ts';

export interface OnlineTally {
  recommendation(r: RecSeen): void;
  interaction(i: Interaction): void;
  /** An order, judged at once against the recommendations seen so far (feed orders a little late). */
  order(o: OrderSeen): void;
  versions(): VersionOnline[];
  /** Impressions and clicks per model version as recorded, including versions no topic produced (cold start). */
  interactions(): ReadonlyMap<string | null, { impressions: number; clicks: number }>;
}

/** How many recommendations per shopper and model version are kept to find the one current at an order. */
const HISTORY = 16;

interface Stream {
  recs: RecSeen[];
  judged: WeakSet<RecSeen>;
}

interface Counts {
  topic: RecSeen['topic'];
  version: string;
  recommendations: number;
  followed: number;
  hits: number;
}

/**
 * compareOnline (online-comparison.ts) kept up to date one value at a time, for a process that
 * reads the topics as they grow instead of re-reading them per call: each order is judged against
 * the recommendation of each model version that was current for the shopper when it was placed,
 * once per recommendation. Fed in time order it gives compareOnline's answer; an order seen before a
 * recommendation produced earlier than it is judged without that one, so feed orders after a delay.
 */
export function createOnlineTally(): OnlineTally {
  const streams = new Map<number, Map<string, Stream>>();
  const counts = new Map<string, Counts>();
  const clicks = new Map<string | null, { impressions: number; clicks: number }>();
  const countsOf = (r: { topic: RecSeen['topic']; version: string }) => {
    const key = `${r.topic}\t${r.version}`;
    let c = counts.get(key);
    if (!c) counts.set(key, (c = { topic: r.topic, version: r.version, recommendations: 0, followed: 0, hits: 0 }));
    return c;
  };
  return {
    recommendation(r) {
      countsOf(r).recommendations++;
      const byKey = streams.get(r.userId) ?? streams.set(r.userId, new Map()).get(r.userId)!;
      const key = `${r.topic}\t${r.version}`;
      const s = byKey.get(key) ?? byKey.set(key, { recs: [], judged: new WeakSet() }).get(key)!;
      s.recs.push(r);
      s.recs.sort((a, b) => a.producedAt - b.producedAt);
      if (s.recs.length > HISTORY) s.recs.shift();
    },
    interaction(i) {
      const v =
        clicks.get(i.modelVersion) ?? clicks.set(i.modelVersion, { impressions: 0, clicks: 0 }).get(i.modelVersion)!;
      if (i.type === 'impression') v.impressions++;
      else v.clicks++;
    },
    order(o) {
      for (const s of streams.get(o.userId)?.values() ?? []) {
        const current = s.recs.findLast((r) => r.producedAt < o.placedAt);
        if (!current || s.judged.has(current)) continue;
        s.judged.add(current);
        const c = countsOf(current);
        c.followed++;
        if (current.top3.some((cat) => o.categories.includes(cat))) c.hits++;
      }
    },
    interactions: () => clicks,
    versions() {
      return [...counts.values()]
        .map((c) => {
          const [lo, hi] = wilson(c.hits, c.followed);
          const i = clicks.get(c.version) ?? { impressions: 0, clicks: 0 };
          return {
            ...c,
            hitRate: c.followed ? c.hits / c.followed : null,
            hitRateLow: lo,
            hitRateHigh: hi,
            impressions: i.impressions,
            clicks: i.clicks,
            ctr: i.impressions ? i.clicks / i.impressions : null,
          };
        })
        .sort((a, b) => a.topic.localeCompare(b.topic) || a.version.localeCompare(b.version));
    },
  };
}
