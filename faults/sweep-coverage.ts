/** What the coverage check reads of one recommendation on the topic. */
export interface SweptRecommendation {
  userId: number;
  runId: string | null;
  /** ms since epoch */
  producedAt: number;
}

export interface SweepCoverage {
  runId: string;
  /** Shoppers this run scored (distinct). */
  covered: number;
  /** Shoppers the run had to cover that it did not, and that got no newer recommendation either. */
  missing: number[];
  /** Shoppers the run scored more than once: a resumed partition re-scored a committed batch. */
  duplicated: number[];
  /** Shoppers the run skipped because a live recommendation newer than the sweep's read was already out. */
  skippedForLive: number;
}

/**
 * "Every shopper exactly once per run": each shopper whose features existed when the sweep was
 * requested appears once with this run id. A sweep leaves out a shopper whose live recommendation
 * is newer than the features it read (it must not overwrite it), so one that got a recommendation
 * of another trigger after the request counts as covered by that.
 */
export function sweepCoverage(
  run: { runId: string; users: number[]; requestedAt: number },
  recs: Iterable<SweptRecommendation>,
): SweepCoverage {
  const times = new Map<number, number>();
  const liveAfter = new Set<number>();
  for (const r of recs) {
    if (r.runId === run.runId) times.set(r.userId, (times.get(r.userId) ?? 0) + 1);
    else if (r.producedAt >= run.requestedAt) liveAfter.add(r.userId);
  }
  const notSwept = run.users.filter((u) => !times.has(u));
  return {
    runId: run.runId,
    covered: times.size,
    missing: notSwept.filter((u) => !liveAfter.has(u)),
    duplicated: [...times].filter(([, n]) => n > 1).map(([u]) => u),
    skippedForLive: notSwept.filter((u) => liveAfter.has(u)).length,
  };
}
