import type { ReactNode } from 'react';
import { ErrorState } from '@/components/feedback/error-state';
import { Skeleton } from '@/components/feedback/skeleton';
import { ApiError } from '@/lib/api-client';
import { resolveImageUrl } from '@/lib/env';
import { formatPrice } from '@/lib/format';
import { useProduct } from '../api/get-product';
import './product-detail.css';

type ProductDetailProps = { productId: number; actions?: ReactNode };

export function ProductDetail({ productId, actions }: ProductDetailProps) {
  const query = useProduct(productId);

  if (query.isPending) {
    return (
      <div className="product-detail" aria-busy="true" data-testid="product-skeleton">
        <Skeleton className="product-detail__image" height="auto" />
        <div className="product-detail__body">
          <Skeleton height="2em" width="70%" />
          <Skeleton height="1.4em" width="30%" />
        </div>
      </div>
    );
  }
  if (query.isError) {
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return (
      <ErrorState
        title={notFound ? 'This product does not exist' : 'The product could not be loaded'}
        error={query.error}
        onRetry={notFound ? undefined : () => query.refetch()}
      />
    );
  }

  const product = query.data;
  return (
    <article className="product-detail" data-testid="product-detail" data-product-id={product.product_id}>
      <img
        className="product-detail__image"
        src={resolveImageUrl(product.image_url)}
        alt={product.title}
        width={640}
        height={480}
      />
      <div className="product-detail__body">
        <p className="product-detail__category">{product.category_name}</p>
        <h1 className="product-detail__title">{product.title}</h1>
        <p className="product-detail__price">{formatPrice(product.price)}</p>
        {actions}
      </div>
    </article>
  );
}
