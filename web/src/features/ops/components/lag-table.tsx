import type { OpsOverview } from '@/lib/api-types';
import { Empty, Panel } from './panel';

export function LagTable({ lag }: { lag: OpsOverview['lag'] }) {
  return (
    <Panel title="Consumer lag" testId="lag-panel">
      {lag.length === 0 ? (
        <Empty>No consumer groups reported.</Empty>
      ) : (
        <table className="ops-table">
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Topic</th>
              <th scope="col" className="num">
                Lag
              </th>
            </tr>
          </thead>
          <tbody>
            {lag.map((row) => (
              <tr key={`${row.group}/${row.topic}`}>
                <td>{row.group}</td>
                <td>{row.topic}</td>
                <td className={`num${row.lag > 0 ? ' warn' : ''}`}>{row.lag}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
