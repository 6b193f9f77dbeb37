import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { OpsOverview } from '@/lib/api-types';
import { formatDuration } from '@/lib/format';
import { toFreshnessBins } from '../utils/freshness-bins';
import { Empty, Panel } from './panel';

export function FreshnessChart({ freshness }: { freshness: OpsOverview['freshness'] }) {
  const bins = toFreshnessBins(freshness);
  return (
    <Panel title="Freshness" testId="freshness-panel" wide>
      <p className="ops-stats">
        <span>{freshness.count} recommendations</span>
        <span>p50 {formatDuration(freshness.p50_ms)}</span>
        <span>p95 {formatDuration(freshness.p95_ms)}</span>
        <span>p99 {formatDuration(freshness.p99_ms)}</span>
      </p>
      <div className="ops-chart" data-testid="freshness-chart" data-count={freshness.count}>
        {bins.length === 0 ? (
          <Empty>No freshness samples yet.</Empty>
        ) : (
          <ResponsiveContainer width="100%" height={240}>
            <BarChart data={bins} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" tick={{ fontSize: 12 }} />
              <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
              <Tooltip />
              <Bar dataKey="count" name="recommendations" fill="#1f7a8c" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        )}
      </div>
    </Panel>
  );
}
