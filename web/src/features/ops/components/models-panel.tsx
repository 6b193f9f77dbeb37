import type { OpsOverview } from '@/lib/api-types';
import { formatDateTime } from '@/lib/format';
import { NdcgChart } from './ndcg-chart';
import { Empty, Panel } from './panel';

type Model = OpsOverview['models'][number];

function MetricTable({ model }: { model: Model }) {
  if (!model.table || model.table.length === 0) return null;
  return (
    <details className="ops-metrics">
      <summary>Metric table for {model.version}</summary>
      <table className="ops-table">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col" className="num">
              NDCG@3
            </th>
            <th scope="col" className="num">
              Recall@3
            </th>
          </tr>
        </thead>
        <tbody>
          {model.table.map((row) => (
            <tr key={row.model}>
              <td>{row.model}</td>
              <td className="num">{row.ndcg3.toFixed(4)}</td>
              <td className="num">{row.recall3.toFixed(4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

type ModelsPanelProps = { models: Model[]; onPromote?: (version: string) => void; busy?: boolean };

export function ModelsPanel({ models, onPromote, busy }: ModelsPanelProps) {
  return (
    <Panel title="Model versions" testId="models-panel" wide>
      {models.length === 0 ? (
        <Empty>No trained models yet.</Empty>
      ) : (
        <>
          <NdcgChart models={models} />
          <table className="ops-table">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Backend</th>
                <th scope="col" className="num">
                  NDCG@3
                </th>
                <th scope="col" className="num">
                  Recall@3
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {models.map((model) => (
                <tr key={model.version}>
                  <td className="mono">{model.version}</td>
                  <td>
                    <span className={`status status--${model.status}`}>{model.status}</span>
                  </td>
                  <td>{formatDateTime(model.created_at)}</td>
                  <td>{model.backend}</td>
                  <td className="num">{model.metrics.ndcg3.toFixed(4)}</td>
                  <td className="num">{model.metrics.recall3.toFixed(4)}</td>
                  <td>
                    {onPromote && model.status !== 'active' && (
                      <button
                        type="button"
                        className="button button--small"
                        disabled={busy}
                        onClick={() => onPromote(model.version)}
                      >
                        Promote
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {models.map((model) => (
            <MetricTable key={model.version} model={model} />
          ))}
        </>
      )}
    </Panel>
  );
}
