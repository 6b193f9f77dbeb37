import { NotFoundError, ValidationError } from '../../core/errors.ts';
import type { PrismaClient } from '../../prisma/db/prisma-client.ts';
import type { OrderBody, OrderRequest } from '../schemas/order.ts';

export interface OrderWriter {
  place(req: OrderRequest, now: Date): Promise<OrderBody>;
}

/** Cents, so a total of many lines does not drift the way float sums do. */
const cents = (price: string) => Math.round(Number(price) * 100);

/**
 * A real order in the shop database, as the app's least-privilege user: prices are read in the same
 * transaction that writes the lines, so what the shopper pays is what the catalogue said then.
 */
export function createOrderWriter(deps: { prisma: PrismaClient }): OrderWriter {
  return {
    async place(req, now) {
      const ids = req.items.map((i) => i.product_id);
      const dup = ids.findIndex((id, i) => ids.indexOf(id) !== i);
      if (dup >= 0) {
        throw new ValidationError(`product ${ids[dup]} appears twice; send one line with its quantity`, {
          path: `body.items.${dup}.product_id`,
        });
      }
      return deps.prisma.$transaction(async (tx) => {
        const user = await tx.user.findUnique({ where: { id: req.user_id }, select: { id: true } });
        if (!user) throw new NotFoundError(`no shopper ${req.user_id}`);
        const products = await tx.product.findMany({ where: { id: { in: ids } }, select: { id: true, price: true } });
        const price = new Map(products.map((p) => [p.id, p.price.toString()]));
        const missing = ids.findIndex((id) => !price.has(id));
        if (missing >= 0) throw new NotFoundError(`no product ${ids[missing]} (items.${missing}.product_id)`);
        const order = await tx.order.create({
          data: {
            userId: req.user_id,
            status: 'paid',
            placedAt: now,
            items: {
              create: req.items.map((i) => ({
                productId: i.product_id,
                quantity: i.quantity,
                unitPrice: price.get(i.product_id)!,
              })),
            },
          },
          select: { id: true },
        });
        const items = req.items.map((i) => ({
          product_id: i.product_id,
          quantity: i.quantity,
          unit_price: Number(price.get(i.product_id)),
        }));
        const total = req.items.reduce((a, i) => a + cents(price.get(i.product_id)!) * i.quantity, 0) / 100;
        return {
          order_id: order.id.toString(),
          user_id: req.user_id,
          status: 'paid' as const,
          placed_at: now.toISOString(),
          items,
          total,
        };
      });
    },
  };
}
