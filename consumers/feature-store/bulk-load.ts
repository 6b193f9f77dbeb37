import { Readable } from 'node:stream';
import type { Pool } from '../../prisma/db/pool.ts';

export type Row = unknown[];

/** One value in LOAD DATA's default text format: tab-separated, `\N` for NULL, backslash escapes. */
function field(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  // DATETIME columns take the UTC wall clock, as the driver writes dates (timezone 'Z').
  if (v instanceof Date) return v.toISOString().slice(0, 23).replace('T', ' ');
  return String(v).replace(/[\\\t\n\r\0]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\0',
  );
}

const tsv = (rows: Row[]) => Buffer.from(rows.map((r) => r.map(field).join('\t')).join('\n') + '\n', 'utf8');

/** The server refuses LOCAL INFILE (MySQL 8's default local_infile=OFF): multi-row INSERTs then. */
const refused = (err: unknown) => {
  const e = err as { errno?: number; code?: string };
  return e.errno === 3948 || e.errno === 1148 || e.code === 'ER_LOAD_INFILE_CAPABILITY_DISABLED';
};

/**
 * Writes rows into a table in statements of `rowsPerStatement` rows, each committed on its own
 * (callers write into tables nobody reads until they are complete). LOAD DATA LOCAL INFILE
 * where the server allows it (about 1.5x the rows/s of multi-row INSERTs, measured here), else
 * multi-row INSERTs.
 */
export function createBulkLoader(pool: Pool) {
  let localInfile = true;
  const insert = (table: string, columns: string[], chunk: Row[]) =>
    pool.query(`INSERT INTO \`${table}\` (${columns.join(', ')}) VALUES ?`, [chunk]);
  const write = async (table: string, columns: string[], chunk: Row[]) => {
    if (localInfile)
      try {
        const data = tsv(chunk);
        await pool.query({
          sql: `LOAD DATA LOCAL INFILE 'rows.tsv' INTO TABLE \`${table}\` CHARACTER SET utf8mb4 (${columns.join(', ')})`,
          infileStreamFactory: () => Readable.from([data]),
        } as Parameters<Pool['query']>[0]);
        return;
      } catch (err) {
        if (!refused(err)) throw err;
        localInfile = false;
      }
    await insert(table, columns, chunk);
  };
  return {
    async load(table: string, columns: string[], rows: Iterable<Row>, rowsPerStatement: number): Promise<void> {
      let chunk: Row[] = [];
      for (const r of rows) {
        chunk.push(r);
        if (chunk.length >= rowsPerStatement) {
          await write(table, columns, chunk);
          chunk = [];
        }
      }
      if (chunk.length) await write(table, columns, chunk);
    },
  };
}
