import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { userPageSchema, type UserPage } from '@/lib/api-types';

export function getUsers(limit: number, signal?: AbortSignal): Promise<UserPage> {
  return apiRequest(`/users?limit=${limit}`, { schema: userPageSchema, signal });
}

export function usersQueryOptions(limit: number) {
  return queryOptions({
    queryKey: ['users', 'list', limit],
    queryFn: ({ signal }) => getUsers(limit, signal),
    staleTime: 5 * 60_000,
  });
}

// The picker shows the first page only; any other shopper can still be chosen by typing an id.
export function useUsers(limit = 50) {
  return useQuery(usersQueryOptions(limit));
}
