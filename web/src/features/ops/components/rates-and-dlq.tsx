import type { OpsOverview } from '@/lib/api-types';
import { Empty, Panel } from './panel';

export function RatesPanel({ rates }: { rates: OpsOverview['rates'] }) {
  return (
    <Panel title="Events per second" testId="rates-panel">
      {rates.length === 0 ? (
        <Empty>No rates reported.</Empty>
      ) : (
        <dl className="ops-rates">
          {rates.map((rate) => (
            <div key={rate.name} className="ops-rates__item">
              <dt>{rate.name}</dt>
              <dd>{rate.per_second.toFixed(rate.per_second < 10 ? 2 : 0)}/s</dd>
            </div>
          ))}
        </dl>
      )}
    </Panel>
  );
}

export function DlqTable({ dlq }: { dlq: OpsOverview['dlq'] }) {
  return (
    <Panel title="Dead-letter queues" testId="dlq-panel">
      {dlq.length === 0 ? (
        <Empty>No dead-letter topics.</Empty>
      ) : (
        <table className="ops-table">
          <thead>
            <tr>
              <th scope="col">Topic</th>
              <th scope="col" className="num">
                Messages
              </th>
            </tr>
          </thead>
          <tbody>
            {dlq.map((row) => (
              <tr key={row.topic}>
                <td>{row.topic}</td>
                <td className={`num${row.count > 0 ? ' warn' : ''}`}>{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
