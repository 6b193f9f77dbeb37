import { ErrorState } from '@/components/feedback/error-state';
import { useHomeRecommendations } from '../api/get-home-recommendations';
import { RecoGrid } from './reco-grid';
import { RecoGridSkeleton } from './reco-grid-skeleton';

type HomeRecommendationsProps = { userId: number };

export function HomeRecommendations({ userId }: HomeRecommendationsProps) {
  const query = useHomeRecommendations(userId);

  return (
    <section className="home-recommendations" aria-labelledby="reco-heading">
      <div className="section-heading">
        <h2 id="reco-heading">Recommended for you</h2>
        {query.data && (
          <p className="section-heading__meta" data-testid="reco-meta">
            {query.data.cold_start ? 'Popular picks while we get to know you' : `For ${query.data.user_nickname}`}
            {query.data.model_version ? ` · model ${query.data.model_version}` : ''}
          </p>
        )}
      </div>
      {query.isPending && <RecoGridSkeleton />}
      {query.isError && (
        <ErrorState title="Recommendations could not be loaded" error={query.error} onRetry={() => query.refetch()} />
      )}
      {query.data && <RecoGrid data={query.data} userId={userId} />}
    </section>
  );
}
