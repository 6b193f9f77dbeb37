import { readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { ValidationError, classify } from '../../core/errors.ts';
import type { CsvRecord } from './csv-reader.ts';

/**
 * The first worksheet of an .xlsx as records (line = spreadsheet row number). Kaggle ships
 * CustomersData and Tax_amount as Excel files; they are small, so the whole zip is read at
 * once. Only what those sheets use is supported: shared, inline and plain cell values.
 */
export async function readXlsx(path: string): Promise<CsvRecord[]> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (cause) {
    throw classify(cause, `cannot read ${path}`);
  }
  const entries = zipEntries(buf, path);
  const text = (name: string) => {
    const e = entries.get(name);
    return e ? e().toString('utf8') : null;
  };
  const sheetName = [...entries.keys()]
    .filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))
    .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))[0];
  const sheet = sheetName ? text(sheetName) : null;
  if (!sheet) throw new ValidationError(`${path}: no worksheet found`, { path });
  return sheetRows(sheet, sharedStrings(text('xl/sharedStrings.xml') ?? ''));
}

function zipEntries(buf: Buffer, path: string): Map<string, () => Buffer> {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ValidationError(`${path}: not an .xlsx (zip) file`, { path });
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, () => Buffer>();
  for (let k = 0; k < count && buf.readUInt32LE(p) === 0x02014b50; k++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const skip = nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    out.set(name, () => {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const raw = buf.subarray(start, start + size);
      return method === 8 ? inflateRawSync(raw) : raw;
    });
    p += 46 + skip;
  }
  return out;
}

function sharedStrings(xml: string): string[] {
  return [...xml.matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    [...m[1]!.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((t) => decodeXml(t[1]!)).join(''),
  );
}

function sheetRows(xml: string, shared: string[]): CsvRecord[] {
  const rows: CsvRecord[] = [];
  for (const m of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const line = Number(/\br="(\d+)"/.exec(m[1]!)?.[1] ?? rows.length + 1);
    const fields: string[] = [];
    for (const c of (m[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = c[1]!;
      const col = columnIndex(/\br="([A-Z]+)\d+"/.exec(attrs)?.[1]) ?? fields.length;
      while (fields.length < col) fields.push('');
      fields[col] = cellValue(attrs, c[2] ?? '', shared);
    }
    if (fields.some((f) => f !== '')) rows.push({ line, fields });
  }
  return rows;
}

function cellValue(attrs: string, body: string, shared: string[]): string {
  const type = /\bt="(\w+)"/.exec(attrs)?.[1];
  if (type === 'inlineStr')
    return [...body.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((t) => decodeXml(t[1]!)).join('');
  const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
  if (v === undefined) return '';
  return type === 's' ? (shared[Number(v)] ?? '') : decodeXml(v);
}

function columnIndex(letters: string | undefined): number | undefined {
  if (!letters) return undefined;
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (all, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return XML_ENTITIES[e] ?? all;
  });
}
