import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { opsOverviewSchema, type OpsOverview } from '@/lib/api-types';

export const OPS_REFRESH_MS = 5000;

export function getOpsOverview(token: string, signal?: AbortSignal): Promise<OpsOverview> {
  return apiRequest('/ops/overview', { schema: opsOverviewSchema, token, signal });
}

export function opsOverviewQueryOptions(token: string) {
  return queryOptions({
    queryKey: ['ops', 'overview', token],
    queryFn: ({ signal }) => getOpsOverview(token, signal),
    refetchInterval: OPS_REFRESH_MS,
    staleTime: 0,
  });
}

export function useOpsOverview(token: string) {
  return useQuery(opsOverviewQueryOptions(token));
}
