import { useState, type FormEvent } from 'react';
import { errorMessage } from '@/lib/api-client';
import type { Order } from '@/lib/api-types';
import { formatPrice } from '@/lib/format';
import { useCreateOrder } from '../api/create-order';
import './buy-form.css';

const QUANTITIES = Array.from({ length: 10 }, (_, i) => i + 1);

type BuyFormProps = { userId: number; productId: number; onOrdered?: (order: Order) => void };

export function BuyForm({ userId, productId, onOrdered }: BuyFormProps) {
  const [quantity, setQuantity] = useState(1);
  const order = useCreateOrder({ onSuccess: onOrdered });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    order.mutate({ user_id: userId, items: [{ product_id: productId, quantity }] });
  };

  return (
    <form className="buy-form" onSubmit={onSubmit} data-testid="buy-form">
      <label className="buy-form__quantity">
        Quantity
        <select value={quantity} onChange={(event) => setQuantity(Number(event.target.value))}>
          {QUANTITIES.map((q) => (
            <option key={q} value={q}>
              {q}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button button--primary" disabled={order.isPending}>
        {order.isPending ? 'Buying…' : 'Buy'}
      </button>
      <div className="buy-form__status" role="status" aria-live="polite">
        {order.isSuccess && (
          <p className="buy-form__success" data-testid="order-confirmation" data-order-id={order.data.order_id}>
            Order {order.data.order_id} placed · total {formatPrice(order.data.total)}
          </p>
        )}
        {order.isError && <p className="buy-form__error">Could not place the order: {errorMessage(order.error)}</p>}
      </div>
    </form>
  );
}
