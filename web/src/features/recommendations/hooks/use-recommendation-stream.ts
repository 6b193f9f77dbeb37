import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { apiUrl, parseBody } from '@/lib/api-client';
import { homeRecommendationsSchema, type HomeRecommendations } from '@/lib/api-types';
import { homeRecommendationsKey } from '../api/get-home-recommendations';

function streamPath(userId: number): string {
  return `/recommendations/stream?user_id=${userId}`;
}

// A late SSE frame must not replace a newer answer that a refetch already brought.
function isOlder(next: HomeRecommendations, current: HomeRecommendations | undefined): boolean {
  if (!current?.produced_at || !next.produced_at) return false;
  return Date.parse(next.produced_at) < Date.parse(current.produced_at);
}

/** Keeps the home recommendations query fresh from the server-sent event stream. */
export function useRecommendationStream(userId: number): void {
  const queryClient = useQueryClient();

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const key = homeRecommendationsKey(userId);
    const source = new EventSource(apiUrl(streamPath(userId)));
    let hadError = false;

    const onRecommendation = (event: MessageEvent<string>) => {
      try {
        const next = parseBody(streamPath(userId), homeRecommendationsSchema, JSON.parse(event.data));
        if (!isOlder(next, queryClient.getQueryData<HomeRecommendations>(key))) queryClient.setQueryData(key, next);
      } catch (error) {
        console.warn('Ignoring a malformed recommendation event', error);
      }
    };
    // EventSource reconnects by itself; anything pushed while it was away is fetched again.
    const onOpen = () => {
      if (hadError) void queryClient.invalidateQueries({ queryKey: key });
      hadError = false;
    };
    const onError = () => {
      hadError = true;
    };

    source.addEventListener('recommendation', onRecommendation);
    source.addEventListener('open', onOpen);
    source.addEventListener('error', onError);
    return () => source.close();
  }, [userId, queryClient]);
}
