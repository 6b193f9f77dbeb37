import type { OpsOverview } from '@/lib/api-types';
import { formatPercent } from '@/lib/format';
import { Empty, Panel } from './panel';

export function OnlineTable({ online }: { online: OpsOverview['online'] }) {
  return (
    <Panel title="Online results per model version" testId="online-panel" wide>
      {online.length === 0 ? (
        <Empty>No impressions recorded yet.</Empty>
      ) : (
        <table className="ops-table">
          <thead>
            <tr>
              <th scope="col">Model version</th>
              <th scope="col" className="num">
                Impressions
              </th>
              <th scope="col" className="num">
                Clicks
              </th>
              <th scope="col" className="num">
                Click-through
              </th>
              <th scope="col" className="num">
                Orders
              </th>
              <th scope="col" className="num">
                Hits
              </th>
              <th scope="col" className="num">
                Order hit rate
              </th>
            </tr>
          </thead>
          <tbody>
            {online.map((row) => (
              <tr key={`${row.topic ?? ''}:${row.model_version}`}>
                <td className="mono">
                  {row.model_version}
                  {row.topic === 'shadow' ? ' (shadow)' : ''}
                </td>
                <td className="num">{row.impressions}</td>
                <td className="num">{row.clicks}</td>
                <td className="num">{formatPercent(row.ctr)}</td>
                <td className="num">{row.orders}</td>
                <td className="num">{row.hits}</td>
                <td className="num">{formatPercent(row.hit_rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
