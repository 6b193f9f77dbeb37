import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { productSchema, type Product } from '@/lib/api-types';

export function getProduct(productId: number, signal?: AbortSignal): Promise<Product> {
  return apiRequest(`/products/${productId}`, { schema: productSchema, signal });
}

export function productQueryOptions(productId: number) {
  return queryOptions({
    queryKey: ['products', productId],
    queryFn: ({ signal }) => getProduct(productId, signal),
    staleTime: 5 * 60_000,
  });
}

export function useProduct(productId: number) {
  return useQuery(productQueryOptions(productId));
}
