import { readFile } from 'node:fs/promises';
import { ValidationError, classify } from '../../core/errors.ts';
import type { CsvRecord } from './csv-records.ts';
import { decodeXml } from './xml-text.ts';
import { xmlElements } from './xml-elements.ts';
import { firstSheetPath } from './xlsx-workbook.ts';
import { DEFAULT_ZIP_LIMITS, zipEntries, type ZipLimits } from './zip-entries.ts';

export { decodeXml } from './xml-text.ts';

export interface XlsxLimits extends ZipLimits {
  /** Excel's own limit on a cell's text; longer is not a spreadsheet these files come from. */
  maxCellChars: number;
}

export const DEFAULT_XLSX_LIMITS: XlsxLimits = { ...DEFAULT_ZIP_LIMITS, maxCellChars: 32_767 };

/**
 * The workbook's first tab as records (line = spreadsheet row number). Kaggle ships
 * CustomersData and Tax_amount as Excel files; they are small, so the whole zip is read at
 * once, within the limits. Only what those sheets use is supported: shared, inline and plain
 * cell values. A row with an unreadable cell comes back with its error, and the rest still
 * come; anything wrong with the file itself is a ValidationError.
 */
export async function readXlsx(path: string, limits: XlsxLimits = DEFAULT_XLSX_LIMITS): Promise<CsvRecord[]> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (cause) {
    throw classify(cause, `cannot read ${path}`);
  }
  return parseXlsx(buf, path, limits);
}

export function parseXlsx(buf: Buffer, path: string, limits: XlsxLimits = DEFAULT_XLSX_LIMITS): CsvRecord[] {
  try {
    const entries = zipEntries(buf, path, limits);
    const text = (name: string) => {
      const e = entries.get(name);
      return e ? e().toString('utf8') : null;
    };
    const sheetName = firstSheetPath(text, [...entries.keys()]);
    const sheet = sheetName ? text(sheetName) : null;
    if (sheet === null) throw new ValidationError(`${path}: no worksheet found`, { path });
    return sheetRows(sheet, sharedStrings(text('xl/sharedStrings.xml') ?? ''), limits);
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw new ValidationError(`${path}: not a readable .xlsx file: ${(err as Error).message}`, {
      path,
      cause: err,
    });
  }
}

/** Each shared string, or the error that makes it unreadable (charged to the rows that use it). */
function sharedStrings(xml: string): (string | Error)[] {
  return [...xmlElements(xml, 'si')].map((si) => {
    try {
      return texts(si.body ?? '');
    } catch (err) {
      return err as Error;
    }
  });
}

function sheetRows(xml: string, shared: (string | Error)[], limits: XlsxLimits): CsvRecord[] {
  const rows: CsvRecord[] = [];
  for (const row of xmlElements(xml, 'row')) {
    const line = Number(/\br="(\d{1,9})"/.exec(row.attrs)?.[1] ?? rows.length + 1);
    try {
      const fields = rowFields(row.body ?? '', shared, limits);
      if (fields.some((f) => f !== '')) rows.push({ line, fields });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      rows.push({ line, fields: [], error: err.message });
    }
  }
  return rows;
}

function rowFields(body: string, shared: (string | Error)[], limits: XlsxLimits): string[] {
  const fields: string[] = [];
  for (const c of xmlElements(body, 'c')) {
    const col = columnIndex(/\br="([A-Z]{1,3})\d+"/.exec(c.attrs)?.[1]) ?? fields.length;
    const value = cellValue(c.attrs, c.body ?? '', shared);
    if (value.length > limits.maxCellChars)
      throw new ValidationError(`cell ${col + 1} longer than ${limits.maxCellChars} characters`);
    while (fields.length < col) fields.push('');
    fields[col] = value;
  }
  return fields;
}

function cellValue(attrs: string, body: string, shared: (string | Error)[]): string {
  const type = /\bt="(\w+)"/.exec(attrs)?.[1];
  if (type === 'inlineStr') return texts(body);
  const v = xmlElements(body, 'v').next().value?.body;
  if (v === undefined || v === null) return '';
  if (type !== 's') return decodeXml(v);
  const s = shared[Number(v)] ?? '';
  if (s instanceof Error) throw new ValidationError(`shared string ${v}: ${s.message}`);
  return s;
}

const texts = (xml: string) => [...xmlElements(xml, 't')].map((t) => decodeXml(t.body ?? '')).join('');

/** A1-style column letters to a 0-based index (at most XFD, Excel's last column). */
function columnIndex(letters: string | undefined): number | undefined {
  if (!letters) return undefined;
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}
