import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedTables, readDmmf } from './schema-expectations.ts';

describe('expected tables from schema.prisma', () => {
  const tables = expectedTables(readDmmf(join(import.meta.dirname, '../schema.prisma')));
  const table = (n: string) => tables.find((t) => t.name === n)!;

  it('maps every model to its @@map table', () => {
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'categories',
        'coupons',
        'order_items',
        'orders',
        'product_images',
        'product_reviews',
        'products',
        'recommendations',
        'users',
      ]),
    );
    expect(new Set(tables.map((t) => t.name)).size).toBe(tables.length);
  });

  it('derives MySQL column types, nullability and auto increment', () => {
    const orders = table('orders').columns;
    expect(orders.find((c) => c.name === 'id')).toEqual({
      name: 'id',
      type: 'bigint(20)',
      nullable: false,
      autoIncrement: true,
    });
    expect(orders.find((c) => c.name === 'status')?.type).toBe("enum('placed','paid','cancelled','refunded')");
    expect(orders.find((c) => c.name === 'delivery_charge')?.type).toBe('decimal(10,2)');
    expect(orders.find((c) => c.name === 'coupon_status')?.nullable).toBe(true);
    expect(table('recommendations').columns.find((c) => c.name === 'score')?.type).toBe('double');
  });

  it("names indexes and foreign keys as Prisma's migrate does", () => {
    expect(table('orders').indexes).toContainEqual({
      name: 'orders_user_id_placed_at_idx',
      columns: ['user_id', 'placed_at'],
      unique: false,
    });
    expect(table('coupons').indexes).toContainEqual({
      name: 'coupons_month_category_id_key',
      columns: ['month', 'category_id'],
      unique: true,
    });
    expect(table('orders').foreignKeys).toContainEqual({
      name: 'orders_coupon_id_fkey',
      columns: ['coupon_id'],
      referencedTable: 'coupons',
      referencedColumns: ['id'],
      onDelete: 'SET NULL',
    });
  });
});
