import { useRecommendationStream } from '../hooks/use-recommendation-stream';

/** Mounted once in the layout so the cache stays live on every page, not only while the grid is visible. */
export function RecommendationStream({ userId }: { userId: number }) {
  useRecommendationStream(userId);
  return null;
}
