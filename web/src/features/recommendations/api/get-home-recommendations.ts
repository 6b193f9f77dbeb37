import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { homeRecommendationsSchema, type HomeRecommendations } from '@/lib/api-types';

export function homeRecommendationsPath(userId: number): string {
  return `/recommendations/home?user_id=${userId}`;
}

export function homeRecommendationsKey(userId: number) {
  return ['recommendations', 'home', userId] as const;
}

export function getHomeRecommendations(userId: number, signal?: AbortSignal): Promise<HomeRecommendations> {
  return apiRequest(homeRecommendationsPath(userId), { schema: homeRecommendationsSchema, signal });
}

export function homeRecommendationsQueryOptions(userId: number) {
  return queryOptions({
    queryKey: homeRecommendationsKey(userId),
    queryFn: ({ signal }) => getHomeRecommendations(userId, signal),
  });
}

export function useHomeRecommendations(userId: number) {
  return useQuery(homeRecommendationsQueryOptions(userId));
}
