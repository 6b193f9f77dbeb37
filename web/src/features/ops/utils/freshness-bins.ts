import type { OpsOverview } from '@/lib/api-types';

export type FreshnessBin = { label: string; count: number };

type Bucket = OpsOverview['freshness']['buckets'][number];

function formatBound(seconds: number): string {
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds} s`;
}

// Prometheus-style buckets are cumulative; a cumulative series is non-decreasing and ends at the total.
// When both readings fit (every bucket but the last is empty) de-cumulating changes nothing, so this is safe.
function isCumulative(buckets: Bucket[], total: number): boolean {
  if (buckets.length === 0) return false;
  const ascending = buckets.every((b, i) => i === 0 || b.count >= (buckets[i - 1]?.count ?? 0));
  return ascending && buckets[buckets.length - 1]?.count === total;
}

/** Turns the API's `le` buckets into one bar per latency band. */
export function toFreshnessBins(freshness: OpsOverview['freshness']): FreshnessBin[] {
  const buckets = [...freshness.buckets].sort((a, b) => (a.le ?? Infinity) - (b.le ?? Infinity));
  const cumulative = isCumulative(buckets, freshness.count);
  return buckets.map((bucket, i) => {
    const previous = buckets[i - 1];
    const count = cumulative && previous ? bucket.count - previous.count : bucket.count;
    const label =
      bucket.le === null ? `> ${previous?.le != null ? formatBound(previous.le) : '0'}` : `≤ ${formatBound(bucket.le)}`;
    return { label, count };
  });
}
