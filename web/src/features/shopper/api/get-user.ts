import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { userSchema, type User } from '@/lib/api-types';

export function getUser(userId: number, signal?: AbortSignal): Promise<User> {
  return apiRequest(`/users/${userId}`, { schema: userSchema, signal });
}

export function userQueryOptions(userId: number) {
  return queryOptions({
    queryKey: ['users', userId],
    queryFn: ({ signal }) => getUser(userId, signal),
    staleTime: 5 * 60_000,
  });
}

export function useUser(userId: number) {
  return useQuery(userQueryOptions(userId));
}
