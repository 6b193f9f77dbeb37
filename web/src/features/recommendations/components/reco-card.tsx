import { useRef } from 'react';
import { Link } from 'react-router';
import type { RecommendedCategory, RecommendedProduct } from '@/lib/api-types';
import { resolveImageUrl } from '@/lib/env';
import { formatPrice } from '@/lib/format';
import { paths } from '@/lib/paths';
import { useEventReporter } from '../hooks/event-reporter-context';
import { useImpression } from '../hooks/use-impression';
import { WhyHint } from './why-hint';

type RecoCardProps = {
  product: RecommendedProduct;
  category: RecommendedCategory | undefined;
  position: number;
  userId: number;
  recommendationId: string | null;
  modelVersion: string | null;
};

export function RecoCard({ product, category, position, userId, recommendationId, modelVersion }: RecoCardProps) {
  const ref = useRef<HTMLElement>(null);
  const reporter = useEventReporter();
  const event = {
    user_id: userId,
    recommendation_id: recommendationId,
    product_id: product.product_id,
    position,
    model_version: modelVersion,
  };
  useImpression(ref, () => reporter?.impression(event), `${recommendationId ?? '-'}:${product.product_id}`);

  return (
    <article
      ref={ref}
      className="reco-card"
      data-testid="reco-card"
      data-product-id={product.product_id}
      data-category-id={product.category_id}
    >
      <Link
        className="reco-card__link"
        to={paths.product(product.product_id, userId)}
        onClick={() => reporter?.click(event)}
      >
        <img
          className="reco-card__image"
          src={resolveImageUrl(product.image_url)}
          alt=""
          width={320}
          height={240}
          loading="lazy"
        />
        <h3 className="reco-card__title">{product.title}</h3>
      </Link>
      <div className="reco-card__footer">
        <span className="reco-card__price">{formatPrice(product.price)}</span>
        {category && <span className="reco-card__category">{category.name}</span>}
      </div>
      <WhyHint category={category} />
    </article>
  );
}
