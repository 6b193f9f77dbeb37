import type { z } from 'zod';
import { defineTopic, type TopicDef } from '../topic.ts';
import { categoryRow, orderItemRow, orderRow, productRow, userRow } from './tables.ts';

/** Debezium names topics `<topic.prefix>.<database>.<table>`; the shop's are `cdc.shop.*`. */
export interface CdcNaming {
  prefix: string;
  database: string;
}

export const SHOP_CDC: CdcNaming = { prefix: 'cdc', database: 'shop' };

const cdcTopic = <S extends z.ZodType>(naming: CdcNaming, table: string, row: S, what: string): TopicDef<S> =>
  defineTopic({
    name: `${naming.prefix}.${naming.database}.${table}`,
    schema: row,
    // Debezium keys each change by the row's primary key: {"id": N}.
    key: (r) => JSON.stringify({ id: (r as { id: number }).id }),
    cleanupPolicy: 'delete',
    description: `Debezium change events for ${what} (before/after rows, op c/u/d/r, tombstone after delete)`,
  });

/** The CDC topics for one shop database; tests use their own prefix and database. */
export function cdcTopics(naming: CdcNaming = SHOP_CDC) {
  return {
    users: cdcTopic(naming, 'users', userRow, 'shoppers'),
    categories: cdcTopic(naming, 'categories', categoryRow, 'product categories'),
    products: cdcTopic(naming, 'products', productRow, 'products'),
    orders: cdcTopic(naming, 'orders', orderRow, 'orders'),
    orderItems: cdcTopic(naming, 'order_items', orderItemRow, 'order lines'),
  };
}

export type CdcTopics = ReturnType<typeof cdcTopics>;
