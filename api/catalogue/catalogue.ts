import { NotFoundError } from '../../core/errors.ts';
import type { PrismaClient } from '../../prisma/db/prisma-client.ts';
import type { ImageUrlOf } from '../home/render-home.ts';
import type { CategoryBody, ProductBody, UserBody } from '../schemas/catalogue.ts';

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** Catalogue reads: not hot, so Prisma, whose types pay off here. */
export interface Catalogue {
  products(q: { categoryId?: number; limit: number; after?: number }): Promise<Page<ProductBody>>;
  product(id: number): Promise<ProductBody>;
  categories(): Promise<CategoryBody[]>;
  users(q: { limit: number; after?: number }): Promise<Page<UserBody>>;
  user(id: number): Promise<UserBody>;
}

/** Keyset pagination: fetch one more than asked, and the last id shown is the next cursor. */
function page<T extends { id: number }, B>(rows: T[], limit: number, toBody: (r: T) => B): Page<B> {
  const more = rows.length > limit;
  const shown = rows.slice(0, limit);
  return { items: shown.map(toBody), next_cursor: more ? String(shown[shown.length - 1]!.id) : null };
}

type ProductRow = {
  id: number;
  categoryId: number;
  title: string;
  price: { toString(): string };
  category: { name: string };
};

export function createCatalogue(deps: { prisma: PrismaClient; imageUrl: ImageUrlOf }): Catalogue {
  const { prisma } = deps;
  const productBody = (p: ProductRow): ProductBody => ({
    product_id: p.id,
    category_id: p.categoryId,
    category_name: p.category.name,
    title: p.title,
    price: Number(p.price.toString()),
    image_url: deps.imageUrl(p.id),
  });
  const withCategory = { category: { select: { name: true } } } as const;
  return {
    async products({ categoryId, limit, after }) {
      const rows = await prisma.product.findMany({
        where: { ...(categoryId ? { categoryId } : {}), ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: 'asc' },
        take: limit + 1,
        include: withCategory,
      });
      return page(rows, limit, productBody);
    },
    async product(id) {
      const row = await prisma.product.findUnique({ where: { id }, include: withCategory });
      if (!row) throw new NotFoundError(`no product ${id}`);
      return productBody(row);
    },
    async categories() {
      const rows = await prisma.category.findMany({
        orderBy: { id: 'asc' },
        include: { _count: { select: { products: true } } },
      });
      return rows.map((c) => ({ category_id: c.id, name: c.name, product_count: c._count.products }));
    },
    async users({ limit, after }) {
      const rows = await prisma.user.findMany({
        where: after ? { id: { gt: after } } : {},
        orderBy: { id: 'asc' },
        take: limit + 1,
        select: { id: true, nickname: true },
      });
      return page(rows, limit, (u) => ({ user_id: u.id, nickname: u.nickname }));
    },
    async user(id) {
      const row = await prisma.user.findUnique({ where: { id }, select: { id: true, nickname: true } });
      if (!row) throw new NotFoundError(`no shopper ${id}`);
      return { user_id: row.id, nickname: row.nickname };
    },
  };
}
