import { describe, expect, it } from 'vitest';
import { pickPopular, type SoldProduct } from './popular-products.ts';

const url = (id: number) => `/img/${id}`;
const p = (productId: number, categoryId: number, sold: number): SoldProduct => ({
  productId,
  categoryId,
  categoryName: `c${categoryId}`,
  title: `p${productId}`,
  price: 1,
  sold,
});

describe('pickPopular', () => {
  it('takes the best-selling products of the best-selling categories, scored by their share', () => {
    const sold = [p(1, 1, 5), p(2, 1, 1), p(3, 2, 10), p(4, 3, 1), p(5, 2, 2)];
    const pick = pickPopular(sold, url, new Date(0), { categories: 2, perCategory: 1 });
    expect(pick.categories.map((c) => [c.category_id, c.score])).toEqual([
      [2, 12 / 19],
      [1, 6 / 19],
    ]);
    expect(pick.products.map((x) => x.product_id)).toEqual([3, 1]);
    expect(pick.products[0]!.image_url).toBe('/img/3');
  });

  it('still shows products when nothing has sold yet', () => {
    const pick = pickPopular([p(1, 1, 0), p(2, 2, 0)], url, new Date(0));
    expect(pick.products.map((x) => x.product_id)).toEqual([1, 2]);
    expect(pick.categories.every((c) => c.score === 0 && c.reasons[0]!.code === 'new-in-shop')).toBe(true);
  });
});
