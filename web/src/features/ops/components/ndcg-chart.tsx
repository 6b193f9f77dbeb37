import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { OpsOverview } from '@/lib/api-types';

type Model = OpsOverview['models'][number];

export function NdcgChart({ models }: { models: Model[] }) {
  const points = [...models]
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at))
    .map((m) => ({ version: m.version, ndcg3: m.metrics.ndcg3, recall3: m.metrics.recall3 }));
  return (
    <div className="ops-chart" data-testid="ndcg-chart">
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="version" tick={{ fontSize: 12 }} />
          <YAxis domain={[0, 1]} tick={{ fontSize: 12 }} />
          <Tooltip formatter={(value) => (typeof value === 'number' ? value.toFixed(4) : String(value))} />
          <Legend />
          <Line dataKey="ndcg3" name="NDCG@3" stroke="#1f5f8b" strokeWidth={2} isAnimationActive={false} />
          <Line dataKey="recall3" name="Recall@3" stroke="#d2763b" strokeDasharray="4 3" isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
