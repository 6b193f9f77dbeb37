import type { UseMutationResult } from '@tanstack/react-query';
import { errorMessage } from '@/lib/api-client';
import type { OpsAction } from '../hooks/use-ops-actions';

type OpsActionsProps = { mutation: UseMutationResult<unknown, Error, OpsAction> };

function describe(action: OpsAction | undefined): string {
  if (!action) return '';
  return action.kind === 'promote' ? `promote ${action.version}` : action.kind;
}

export function OpsActions({ mutation }: OpsActionsProps) {
  const busy = mutation.isPending;
  return (
    <div className="ops-actions">
      <button
        type="button"
        className="button button--small"
        disabled={busy}
        onClick={() => mutation.mutate({ kind: 'sweep' })}
      >
        Run sweep
      </button>
      <button
        type="button"
        className="button button--small"
        disabled={busy}
        onClick={() => mutation.mutate({ kind: 'retrain' })}
      >
        Retrain
      </button>
      <button
        type="button"
        className="button button--small"
        disabled={busy}
        onClick={() => mutation.mutate({ kind: 'rollback' })}
      >
        Roll back model
      </button>
      <span role="status" className="ops-actions__status">
        {mutation.isSuccess && `Accepted: ${describe(mutation.variables)}`}
        {mutation.isError && `Failed to ${describe(mutation.variables)}: ${errorMessage(mutation.error)}`}
      </span>
    </div>
  );
}
