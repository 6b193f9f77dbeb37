import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '@/lib/api-client';
import { promoteModel } from '../api/promote-model';
import { rollbackModel } from '../api/rollback-model';
import { triggerRetrain } from '../api/trigger-retrain';
import { triggerSweep } from '../api/trigger-sweep';

export type OpsAction =
  { kind: 'sweep' } | { kind: 'retrain' } | { kind: 'rollback' } | { kind: 'promote'; version: string };

function run(token: string, action: OpsAction): Promise<unknown> {
  switch (action.kind) {
    case 'sweep':
      return triggerSweep(token);
    case 'retrain':
      return triggerRetrain(token);
    case 'rollback':
      return rollbackModel(token);
    case 'promote':
      return promoteModel(token, action.version);
  }
}

export function useOpsActions(token: string, onUnauthorized: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: OpsAction) => run(token, action),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['ops'] }),
    onError: (error) => {
      if (error instanceof ApiError && error.status === 401) onUnauthorized();
    },
  });
}
