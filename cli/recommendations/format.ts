import type { Recommendation } from '../../streams/recommendations/recommendation.ts';
import type { RunState } from '../../consumers/shared/job-ledger.ts';

/** One recommendation as a few readable lines, for people without kcat. */
export function formatRecommendation(r: Recommendation, receivedAt: number): string {
  const lagMs = Math.max(0, Math.round(receivedAt - Date.parse(r.sourceTs)));
  const top = r.categories
    .filter((c) => c.reasons.length)
    .map(
      (c) =>
        `    ${c.rank}. ${c.name} ${(c.score * 100).toFixed(1)}%  ${c.reasons.map((x) => `${x.text} [${x.code}]`).join('; ')}`,
    );
  return [
    `user ${r.userId}  ${r.trigger}${r.runId ? ` (${r.runId})` : ''}  model ${r.modelVersion}${r.coldStart ? '  cold start' : ''}  source ${r.sourceTs}  (+${lagMs} ms)`,
    ...top,
    `    products: ${r.products.map((p) => `#${p.productId} ${p.title} (${p.price.toFixed(2)})`).join(', ') || '(none)'}`,
  ].join('\n');
}

export function formatRun(s: RunState): string {
  const scored = [...s.partitions.values()].reduce((a, p) => a + p.scored, 0);
  const state = s.done ? 'done' : s.failed ? 'failed' : s.startedAt ? 'running' : 'requested';
  const detail = s.done
    ? `${s.done.counts?.shoppers ?? scored} shoppers in ${((s.done.durationMs ?? 0) / 1000).toFixed(1)} s (${s.done.counts?.shoppersPerSecond ?? '-'} /s)`
    : s.failed
      ? (s.failed.reason ?? '')
      : `${scored} shoppers so far`;
  return `${s.runId.padEnd(40)} ${state.padEnd(9)} requested ${s.requestedAt ?? '-'} by ${s.requestedBy ?? '-'}  ${detail}`;
}
