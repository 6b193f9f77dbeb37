import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../e2e/harness/test-database.ts';
import { expectedTables, readDmmf, type ExpectedTable } from './schema-expectations.ts';
import { migrate } from './migrate.ts';
import { silentLogger } from '../../core/logger.ts';

type Row = Record<string, string | number | null>;

/** Reads tables, columns, indexes and foreign keys back from information_schema. */
async function actualTables(t: TestDatabase): Promise<ExpectedTable[]> {
  const q = async (sql: string) => (await t.pool.query(sql, [t.name]))[0] as Row[];
  const cols = await q(`SELECT TABLE_NAME t, COLUMN_NAME c, COLUMN_TYPE ty, IS_NULLABLE n, EXTRA x
    FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`);
  const idx = await q(`SELECT TABLE_NAME t, INDEX_NAME i, NON_UNIQUE nu, COLUMN_NAME c
    FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`);
  const fks = await q(`SELECT k.TABLE_NAME t, k.CONSTRAINT_NAME i, k.COLUMN_NAME c, k.REFERENCED_TABLE_NAME rt,
      k.REFERENCED_COLUMN_NAME rc, r.DELETE_RULE d
    FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r
      ON r.CONSTRAINT_SCHEMA = k.TABLE_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
    WHERE k.TABLE_SCHEMA = ? ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`);
  const names = [...new Set(cols.map((c) => String(c.t)))].filter((n) => n !== '_prisma_migrations');
  return names.map((name) => {
    const indexes = new Map<string, { name: string; columns: string[]; unique: boolean }>();
    for (const r of idx.filter((i) => i.t === name)) {
      const e = indexes.get(String(r.i)) ?? { name: String(r.i), columns: [], unique: Number(r.nu) === 0 };
      e.columns.push(String(r.c));
      indexes.set(e.name, e);
    }
    const foreign = new Map<
      string,
      { name: string; columns: string[]; referencedTable: string; referencedColumns: string[]; onDelete: string }
    >();
    for (const r of fks.filter((f) => f.t === name)) {
      const e = foreign.get(String(r.i)) ?? {
        name: String(r.i),
        columns: [],
        referencedTable: String(r.rt),
        referencedColumns: [],
        onDelete: String(r.d),
      };
      e.columns.push(String(r.c));
      e.referencedColumns.push(String(r.rc));
      foreign.set(e.name, e);
    }
    return {
      name,
      columns: cols
        .filter((c) => c.t === name)
        .map((c) => ({
          name: String(c.c),
          type: String(c.ty).replace(/^[a-z]+/i, (m) => m.toLowerCase()),
          nullable: c.n === 'YES',
          autoIncrement: String(c.x).includes('auto_increment'),
        })),
      indexes: [...indexes.values()],
      foreignKeys: [...foreign.values()],
    };
  });
}

const sortBy = <T extends { name: string }>(xs: T[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name));
const normal = (ts: ExpectedTable[]) =>
  sortBy(ts).map((t) => ({
    ...t,
    columns: sortBy(t.columns),
    indexes: sortBy(t.indexes),
    foreignKeys: sortBy(t.foreignKeys),
  }));

describe('migrations match schema.prisma', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ prefix: 'schema' });
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('tables, columns, types, nullability, indexes and foreign keys are the same', async () => {
    const expected = expectedTables(readDmmf(join(import.meta.dirname, '../schema.prisma')));
    expect(normal(await actualTables(t))).toEqual(normal(expected));
  });

  it('running the migrations again applies nothing', async () => {
    expect(
      await migrate({ pool: t.pool, migrationsDir: join(import.meta.dirname, '../migrations'), logger: silentLogger }),
    ).toEqual([]);
  });
});
