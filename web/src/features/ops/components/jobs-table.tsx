import type { ReactNode } from 'react';
import type { OpsOverview } from '@/lib/api-types';
import { formatDateTime, formatDuration } from '@/lib/format';
import { Empty, Panel } from './panel';

type Job = OpsOverview['jobs'][number];

function summary(job: Job): string {
  const counts = job.counts ? Object.entries(job.counts).map(([k, v]) => `${k}: ${String(v)}`) : [];
  return [...counts, job.reason].filter(Boolean).join(', ');
}

type JobsTableProps = { jobs: OpsOverview['jobs']; actions?: ReactNode };

export function JobsTable({ jobs, actions }: JobsTableProps) {
  return (
    <Panel title="Sweep and retraining runs" testId="jobs-panel" wide>
      {actions}
      {jobs.length === 0 ? (
        <Empty>No runs yet.</Empty>
      ) : (
        <table className="ops-table">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Run</th>
              <th scope="col">Status</th>
              <th scope="col">Started</th>
              <th scope="col">Finished</th>
              <th scope="col" className="num">
                Duration
              </th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={job.run_id}>
                <td>{job.job}</td>
                <td className="mono">{job.run_id}</td>
                <td>
                  <span className={`status status--${job.status}`}>{job.status}</span>
                </td>
                <td>{formatDateTime(job.started_at)}</td>
                <td>{formatDateTime(job.finished_at)}</td>
                <td className="num">{formatDuration(job.duration_ms)}</td>
                <td>{summary(job)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
