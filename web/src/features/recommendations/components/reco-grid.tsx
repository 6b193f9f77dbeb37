import type { HomeRecommendations, RecommendedCategory } from '@/lib/api-types';
import { RecoCard } from './reco-card';
import './reco-grid.css';

type RecoGridProps = { data: HomeRecommendations; userId: number };

export function RecoGrid({ data, userId }: RecoGridProps) {
  const categories = new Map<number, RecommendedCategory>((data.categories ?? []).map((c) => [c.category_id, c]));
  if (data.recommendations.length === 0) {
    return <p className="reco-empty">No recommendations yet for this shopper.</p>;
  }
  return (
    <ul
      className="reco-grid reco-grid--4-col"
      data-testid="reco-grid"
      data-recommendation-id={data.recommendation_id ?? ''}
      aria-label="Recommended products"
    >
      {data.recommendations.map((product, position) => (
        <li key={product.product_id} className="reco-grid__item">
          <RecoCard
            product={product}
            category={categories.get(product.category_id)}
            position={position}
            userId={userId}
            recommendationId={data.recommendation_id ?? null}
            modelVersion={data.model_version ?? null}
          />
        </li>
      ))}
    </ul>
  );
}
