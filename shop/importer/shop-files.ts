import { readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { ValidationError, classify } from '../../core/errors.ts';
import type { CategoryMap } from '../../features/category-map.ts';
import type { CustomerRow, DiscountRow, MarketingRow, Reject, SalesLine, TaxRow } from '../shop-rows.ts';
import { readCsv, sniffEncoding, type CsvRecord } from './csv-reader.ts';
import { FILE_NAMES, ROW_PARSERS, normalizeName, resolveHeader, type FileKind, type Layout } from './layouts.ts';
import { readXlsx } from './xlsx-reader.ts';

export interface ShopFile {
  kind: FileKind;
  path: string;
  /** File name as found, for reports (file:line: reason). */
  name: string;
  format: 'csv' | 'xlsx';
}

export interface RowTypes {
  sales: SalesLine;
  customers: CustomerRow;
  discounts: DiscountRow;
  tax: TaxRow;
  marketing: MarketingRow;
}

export interface FileReport {
  file: string;
  kind: FileKind;
  layout: Layout | null;
  encoding: string | null;
  /** Data rows read (header excluded). */
  read: number;
  /** Rows that passed validation. */
  accepted: number;
  rejected: number;
}

/** Every reject is counted; the first `keep` are kept with file, line and reason. */
export interface RejectLog {
  add(r: Reject): void;
  readonly count: number;
  readonly samples: readonly Reject[];
}

export function createRejectLog(keep = 1000): RejectLog {
  const samples: Reject[] = [];
  let count = 0;
  return {
    add(r) {
      count++;
      if (samples.length < keep) samples.push(r);
    },
    get count() {
      return count;
    },
    samples,
  };
}

/** Finds the five files of either layout in DIR (.csv, or .xlsx as Kaggle ships two of them). */
export async function findShopFiles(dir: string): Promise<Partial<Record<FileKind, ShopFile>>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (cause) {
    throw new ValidationError(`cannot read directory ${dir}`, { cause, path: dir });
  }
  const found: Partial<Record<FileKind, ShopFile>> = {};
  for (const name of names.sort()) {
    const ext = extname(name).toLowerCase();
    if (ext !== '.csv' && ext !== '.xlsx') continue;
    const base = normalizeName(basename(name, extname(name)));
    for (const [kind, spellings] of Object.entries(FILE_NAMES) as [FileKind, Record<Layout, string>][]) {
      const match = Object.values(spellings).some((s) => normalizeName(s) === base);
      // Prefer .csv when both exist: it is the text the user can read and fix.
      if (match && (!found[kind] || ext === '.csv'))
        found[kind] = { kind, path: join(dir, name), name, format: ext === '.csv' ? 'csv' : 'xlsx' };
    }
  }
  const missing = (['sales', 'customers'] as const).filter((k) => !found[k]);
  if (missing.length) {
    const want = missing.map((k) => `${FILE_NAMES[k].dacon}.csv or ${FILE_NAMES[k].kaggle}.csv`).join(', ');
    throw new ValidationError(`${dir}: missing ${want}`, { path: dir });
  }
  return found;
}

export interface ReadDeps {
  categoryMap: CategoryMap;
  rejects: RejectLog;
  /** When given, sales rows of customers not in it are rejected. */
  knownCustomers?: { has(id: string): boolean };
}

/** Validated rows of one file; malformed rows go to the reject log and are skipped. */
export async function* readRows<K extends FileKind>(
  file: ShopFile & { kind: K },
  deps: ReadDeps,
  report: FileReport,
): AsyncGenerator<{ line: number; row: RowTypes[K] }> {
  const records = await openRecords(file, report);
  let header: ReturnType<typeof resolveHeader> | null = null;
  const parse = ROW_PARSERS[file.kind] as (
    cell: (f: string) => string,
    map: CategoryMap,
  ) => ReturnType<(typeof ROW_PARSERS)[K]>;
  for await (const rec of records) {
    if (rec.error !== undefined && !header)
      throw new ValidationError(`${file.name}:${rec.line}: unreadable header: ${rec.error}`, {
        path: `${file.name}:${rec.line}`,
      });
    if (!header) {
      header = resolveHeader(file.kind, rec.fields, file.name);
      report.layout = header.layout;
      continue;
    }
    report.read++;
    const reject = (reason: string) => {
      report.rejected++;
      deps.rejects.add({ file: file.name, line: rec.line, reason });
    };
    if (rec.error !== undefined) {
      reject(rec.error);
      continue;
    }
    const needed = Math.max(...Object.values(header.columns)) + 1;
    if (rec.fields.length < needed) {
      reject(`expected ${header.width} fields, got ${rec.fields.length}`);
      continue;
    }
    const cols = header.columns;
    const parsed = parse((f) => (cols[f]! >= 0 ? rec.fields[cols[f]!]! : ''), deps.categoryMap);
    if (!parsed.ok) {
      reject(parsed.reason);
      continue;
    }
    const row = parsed.value as RowTypes[K];
    if (file.kind === 'sales' && deps.knownCustomers && !deps.knownCustomers.has((row as SalesLine).customerId)) {
      reject(`unknown customer "${(row as SalesLine).customerId}" (not in the customer file)`);
      continue;
    }
    report.accepted++;
    yield { line: rec.line, row };
  }
  if (!header) throw new ValidationError(`${file.name}: empty file (no header)`, { path: file.path });
}

async function openRecords(
  file: ShopFile,
  report: FileReport,
): Promise<AsyncIterable<CsvRecord> | Iterable<CsvRecord>> {
  try {
    if (file.format === 'xlsx') {
      report.encoding = 'xlsx';
      return await readXlsx(file.path);
    }
    const encoding = await sniffEncoding(file.path);
    report.encoding = encoding;
    return readCsv(file.path, encoding);
  } catch (cause) {
    throw classify(cause, `cannot read ${file.name}`);
  }
}

export const emptyReport = (file: ShopFile): FileReport => ({
  file: file.name,
  kind: file.kind,
  layout: null,
  encoding: null,
  read: 0,
  accepted: 0,
  rejected: 0,
});
