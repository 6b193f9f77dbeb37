import { fireEvent, screen } from '@testing-library/react';
import { jsonResponse, mockFetch } from '@/testing/http';
import { renderWithProviders } from '@/testing/render';
import { BuyForm } from './buy-form';

describe('BuyForm', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('offers quantities 1..10 and posts the order', async () => {
    const fetchMock = mockFetch((url) =>
      url.pathname === '/orders'
        ? jsonResponse(
            {
              order_id: 'o-1',
              user_id: 7,
              placed_at: '2026-01-01T00:00:00Z',
              items: [{ product_id: 5, quantity: 3, unit_price: 2 }],
              total: 6,
            },
            201,
          )
        : undefined,
    );
    renderWithProviders(<BuyForm userId={7} productId={5} />);
    const quantity = screen.getByRole('combobox', { name: 'Quantity' });
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(
      Array.from({ length: 10 }, (_, i) => String(i + 1)),
    );
    fireEvent.change(quantity, { target: { value: '3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Buy' }));

    expect(await screen.findByTestId('order-confirmation')).toHaveTextContent('Order o-1 placed · total $6.00');
    expect(JSON.parse(String(fetchMock.mock.calls[0]?.[1]?.body))).toEqual({
      user_id: 7,
      items: [{ product_id: 5, quantity: 3 }],
    });
  });
});
