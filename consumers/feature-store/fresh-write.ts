import type { Pool } from '../../prisma/db/pool.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import { COUPONS, GENDERS, STATUSES, type FreshState } from './fresh-state.ts';
import { createBulkLoader, type Row } from './bulk-load.ts';

/** The tables a fresh replay fills; fs_pending and the outbox stay empty. */
export const FRESH_TABLES = [
  'fs_users',
  'fs_categories',
  'fs_products',
  'fs_product_versions',
  'fs_orders',
  'fs_order_items',
  'user_features',
] as const;

const build = (t: string) => `${t}__build`;
const old = (t: string) => `${t}__old`;

/**
 * Empty build tables shaped like the store's, after dropping whatever a crashed run left
 * (its build tables, or the old tables of a swap that crashed before dropping them).
 */
export async function prepareBuildTables(pool: Pool): Promise<SecondaryIndex[]> {
  const indexes: SecondaryIndex[] = [];
  for (const t of FRESH_TABLES) {
    await pool.query(`DROP TABLE IF EXISTS \`${build(t)}\`, \`${old(t)}\``);
    await pool.query(`CREATE TABLE \`${build(t)}\` LIKE \`${t}\``);
    indexes.push(...(await secondaryIndexes(pool, t)));
  }
  // Rows go in without the secondary indexes; each is then built in one sorted pass (addIndexes).
  for (const i of indexes) await pool.query(`ALTER TABLE \`${build(i.table)}\` DROP INDEX \`${i.name}\``);
  return indexes;
}

export interface SecondaryIndex {
  table: string;
  name: string;
  unique: boolean;
  columns: string[];
}

/** The store table's own secondary indexes, so the build table gets exactly the same ones back. */
async function secondaryIndexes(pool: Pool, table: string): Promise<SecondaryIndex[]> {
  const [r] = await pool.query(
    `SELECT INDEX_NAME AS name, NON_UNIQUE AS nonUnique, COLUMN_NAME AS col, SUB_PART AS sub FROM information_schema.STATISTICS
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY' ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
    [table],
  );
  const byName = new Map<string, SecondaryIndex>();
  for (const x of r as { name: string; nonUnique: number | string; col: string; sub: number | null }[]) {
    const i = byName.get(x.name) ?? { table, name: x.name, unique: Number(x.nonUnique) === 0, columns: [] };
    i.columns.push(x.sub ? `\`${x.col}\`(${x.sub})` : `\`${x.col}\``);
    byName.set(x.name, i);
  }
  return [...byName.values()];
}

/** Builds the secondary indexes dropped by prepareBuildTables, one ALTER per table. */
export async function addIndexes(pool: Pool, indexes: SecondaryIndex[]): Promise<void> {
  for (const t of new Set(indexes.map((i) => i.table))) {
    const adds = indexes
      .filter((i) => i.table === t)
      .map((i) => `ADD ${i.unique ? 'UNIQUE ' : ''}INDEX \`${i.name}\` (${i.columns.join(', ')})`);
    await pool.query(`ALTER TABLE \`${build(t)}\` ${adds.join(', ')}`);
  }
}

/**
 * Makes the build visible in one atomic RENAME TABLE: a reader (or a crash) sees either the
 * empty store or the complete one, never a part. A rerun after a crash before this point finds
 * the store still empty and starts over; nothing was committed to Kafka for this run.
 */
export async function swapInBuildTables(pool: Pool): Promise<void> {
  const pairs = FRESH_TABLES.flatMap((t) => [`\`${t}\` TO \`${old(t)}\``, `\`${build(t)}\` TO \`${t}\``]);
  await pool.query(`RENAME TABLE ${pairs.join(', ')}`);
  await pool.query(`DROP TABLE ${FRESH_TABLES.map((t) => `\`${old(t)}\``).join(', ')}`);
}

/** Row numbers in ascending id order, cut into `parts` contiguous ranges (one per connection). */
function rowRanges(t: { rowsById(): Int32Array }, parts: number): Int32Array[] {
  const rows = t.rowsById();
  const size = Math.ceil(rows.length / parts) || 1;
  return Array.from({ length: parts }, (_, p) => rows.subarray(p * size, (p + 1) * size)).filter((k) => k.length);
}

/** In id order: InnoDB appends to the primary key's B-tree instead of splitting pages all over it. */
function* rowsOf(rows: Int32Array, f: (row: number) => Row): Generator<Row> {
  for (const r of rows) yield f(r);
}

function* versionRows(s: FreshState): Generator<Row> {
  for (const product of Float64Array.from(s.versions.keys()).sort())
    for (const pos of [...s.versions.get(product)!.keys()].sort())
      yield [product, pos, s.versions.get(product)!.get(pos)];
}

/** DATETIME(3) text in UTC, as the driver writes a Date (timezone 'Z'); the last one is cached. */
function sqlTime() {
  let lastMs = NaN,
    last = '';
  return (ms: number): string | null => {
    if (Number.isNaN(ms)) return null;
    if (ms !== lastMs) {
      lastMs = ms;
      last = new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
    }
    return last;
  };
}

const ITEM_COLUMNS = [
  'item_id',
  'order_id',
  'product_id',
  'category_id',
  'quantity',
  'unit_price',
  'deleted',
  'src_pos',
  'src_ts',
];
const ORDER_COLUMNS = [
  'order_id',
  'user_id',
  'status',
  'status_changed_at',
  'coupon_status',
  'delivery_charge',
  'placed_at',
  'deleted',
  'src_pos',
  'src_ts',
];

function itemRows(s: FreshState, rows: Int32Array): Iterable<Row> {
  const { cols: c, ids } = s.items;
  const time = sqlTime();
  return rowsOf(rows, (r) => [
    ids[r],
    c.orderId[r],
    c.productId[r],
    Number.isNaN(c.category[r]) ? null : c.category[r],
    c.quantity[r],
    c.unitPrice[r],
    c.deleted[r],
    s.positions.key(c.file[r]!, c.pos[r]!, c.row[r]!),
    time(c.ts[r]!),
  ]);
}

function orderRows(s: FreshState, rows: Int32Array): Iterable<Row> {
  const { cols: c, ids } = s.orders;
  const [placed, changed, ts] = [sqlTime(), sqlTime(), sqlTime()];
  return rowsOf(rows, (r) => [
    ids[r],
    c.userId[r],
    STATUSES[c.status[r]!],
    changed(c.statusChangedAt[r]!),
    COUPONS[c.coupon[r]!],
    c.deliveryCharge[r],
    placed(c.placedAt[r]!),
    c.deleted[r],
    s.positions.key(c.file[r]!, c.pos[r]!, c.row[r]!),
    ts(c.ts[r]!),
  ]);
}

function userRows(s: FreshState): Iterable<Row> {
  const { cols: c, ids } = s.users;
  const ts = sqlTime();
  return rowsOf(s.users.rowsById(), (r) => [
    ids[r],
    GENDERS[c.gender[r]!],
    s.regions[c.region[r]!],
    c.tenureMonths[r],
    c.deleted[r],
    s.positions.key(c.file[r]!, c.pos[r]!, c.row[r]!),
    ts(c.ts[r]!),
  ]);
}

function* featureRows(chunks: Iterable<UserFeatures[]>): Generator<Row> {
  for (const chunk of chunks)
    for (const f of chunk) yield [f.userId, new Date(f.asOf), new Date(f.sourceTs), JSON.stringify(f)];
}

const byId = <V>(m: Map<number, V>) => [...m].sort((a, b) => a[0] - b[0]);

/**
 * Writes every table of the state into the build tables: the large ones in id ranges on
 * several connections at once, so the server inserts on every core while this process encodes.
 * `features` yields each shopper's features in id order, a chunk at a time, so they are
 * computed while the server loads the other tables and never held all at once.
 */
export async function writeFreshState(
  pool: Pool,
  s: FreshState,
  features: Iterable<UserFeatures[]>,
  connections = 3,
): Promise<void> {
  const loader = createBulkLoader(pool);
  const insertRows = (table: string, columns: string[], rows: Iterable<Row>, rowsPerStatement = 20_000) =>
    loader.load(build(table), columns, rows, rowsPerStatement);
  const tasks: (() => Promise<void>)[] = [
    // Features first: computing them is this process's largest share of the write phase.
    () => insertRows('user_features', ['user_id', 'as_of', 'source_ts', 'features'], featureRows(features), 2_000),
    ...rowRanges(s.items, connections).map(
      (rows) => () => insertRows('fs_order_items', ITEM_COLUMNS, itemRows(s, rows)),
    ),
    ...rowRanges(s.orders, connections).map((rows) => () => insertRows('fs_orders', ORDER_COLUMNS, orderRows(s, rows))),
    () =>
      insertRows(
        'fs_users',
        ['user_id', 'gender', 'region', 'tenure_months', 'deleted', 'src_pos', 'src_ts'],
        userRows(s),
      ),
    () =>
      insertRows(
        'fs_categories',
        ['category_id', 'name', 'model_index', 'src_pos'],
        byId(s.categories).map(([id, c]) => [id, c.name, c.modelIndex, c.pos]),
      ),
    () =>
      insertRows(
        'fs_products',
        ['product_id', 'category_id', 'price', 'deleted', 'src_pos'],
        byId(s.products).map(([id, p]) => [id, p.categoryId, p.price, p.deleted ? 1 : 0, p.pos]),
      ),
    () => insertRows('fs_product_versions', ['product_id', 'src_pos', 'category_id'], versionRows(s)),
  ];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: connections }, worker));
}
