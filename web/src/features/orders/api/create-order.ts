import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { orderSchema, type Order } from '@/lib/api-types';

export type CreateOrderInput = { user_id: number; items: { product_id: number; quantity: number }[] };

export function createOrder(input: CreateOrderInput): Promise<Order> {
  return apiRequest('/orders', { method: 'POST', body: input, schema: orderSchema });
}

export function useCreateOrder(options: { onSuccess?: (order: Order) => void } = {}) {
  return useMutation({ mutationFn: createOrder, onSuccess: options.onSuccess });
}
