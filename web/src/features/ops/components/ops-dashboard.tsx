import { useEffect } from 'react';
import { ErrorState } from '@/components/feedback/error-state';
import { Skeleton } from '@/components/feedback/skeleton';
import { ApiError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { useOpsOverview } from '../api/get-ops-overview';
import { useOpsActions } from '../hooks/use-ops-actions';
import { FreshnessChart } from './freshness-chart';
import { JobsTable } from './jobs-table';
import { LagTable } from './lag-table';
import { ModelsPanel } from './models-panel';
import { OnlineTable } from './online-table';
import { OpsActions } from './ops-actions';
import { DlqTable, RatesPanel } from './rates-and-dlq';

type OpsDashboardProps = { token: string; onUnauthorized: () => void; onSignOut: () => void };

export function OpsDashboard({ token, onUnauthorized, onSignOut }: OpsDashboardProps) {
  const overview = useOpsOverview(token);
  const actions = useOpsActions(token, onUnauthorized);
  const unauthorized = overview.error instanceof ApiError && overview.error.status === 401;

  useEffect(() => {
    if (unauthorized) onUnauthorized();
  }, [unauthorized, onUnauthorized]);

  return (
    <div className="ops" data-testid="ops-dashboard">
      <header className="ops__header">
        <h1>Ops</h1>
        <p className="ops__meta">
          {overview.dataUpdatedAt > 0 && `Updated ${formatDateTime(new Date(overview.dataUpdatedAt).toISOString())}`}
          {overview.isFetching && ' · refreshing'}
        </p>
        <button type="button" className="button button--small" onClick={onSignOut}>
          Forget token
        </button>
      </header>
      {overview.isPending && <Skeleton height={240} />}
      {overview.isError && !unauthorized && (
        <ErrorState
          title="Ops overview could not be loaded"
          error={overview.error}
          onRetry={() => overview.refetch()}
        />
      )}
      {overview.data && (
        <div className="ops__grid">
          <FreshnessChart freshness={overview.data.freshness} />
          <LagTable lag={overview.data.lag} />
          <RatesPanel rates={overview.data.rates} />
          <DlqTable dlq={overview.data.dlq} />
          <JobsTable jobs={overview.data.jobs} actions={<OpsActions mutation={actions} />} />
          <ModelsPanel
            models={overview.data.models}
            busy={actions.isPending}
            onPromote={(version) => actions.mutate({ kind: 'promote', version })}
          />
          <OnlineTable online={overview.data.online} />
        </div>
      )}
    </div>
  );
}
