import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { classify } from '../../core/errors.ts';
import { createChunkDecoder, detectEncoding, type TextEncoding } from './encoding.ts';

/** One CSV record and the physical line it starts on (1 = the header). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export async function sniffEncoding(path: string): Promise<TextEncoding> {
  const fh = await open(path, 'r').catch((cause: unknown) => {
    throw classify(cause, `cannot open ${path}`);
  });
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return detectEncoding(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/**
 * RFC 4180 records (quotes, doubled quotes, CR/LF/CRLF, newlines inside quotes), streamed.
 * Empty lines are skipped; a BOM is dropped.
 */
export async function* readCsv(path: string, encoding?: TextEncoding): AsyncGenerator<CsvRecord> {
  const decoder = createChunkDecoder(encoding ?? (await sniffEncoding(path)));
  const parser = createCsvParser();
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      yield* parser.push(decoder.write(chunk as Buffer));
    }
  } catch (cause) {
    throw classify(cause, `cannot read ${path}`);
  }
  yield* parser.push(decoder.end());
  yield* parser.end();
}

/** Incremental parser state; exported for tests that feed awkward chunk boundaries. */
export function createCsvParser() {
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let pendingCr = false;
  let line = 1;
  let start = 1;
  let first = true;
  const finish = (out: CsvRecord[]) => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') out.push({ line: start, fields });
    fields = [];
    field = '';
    afterQuote = false;
  };
  return {
    push(text: string): CsvRecord[] {
      const out: CsvRecord[] = [];
      let i = 0;
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) i = 1;
      }
      for (; i < text.length; i++) {
        const ch = text[i]!;
        if (pendingCr) {
          pendingCr = false;
          if (ch === '\n') continue;
        }
        if (quoted) {
          if (ch === '"') {
            // At a chunk's end the closing quote may be the first of a doubled pair; the
            // afterQuote branch below puts it back when the next chunk starts with '"'.
            if (text[i + 1] === '"') {
              field += '"';
              i++;
            } else {
              quoted = false;
              afterQuote = true;
            }
          } else {
            if (ch === '\n') line++;
            field += ch;
          }
          continue;
        }
        if (ch === '"' && field === '' && !afterQuote) {
          quoted = true;
          continue;
        }
        if (ch === '"' && afterQuote) {
          quoted = true;
          field += '"';
          continue;
        }
        if (ch === ',') {
          fields.push(field);
          field = '';
          afterQuote = false;
          continue;
        }
        if (ch === '\n' || ch === '\r') {
          finish(out);
          pendingCr = ch === '\r';
          line++;
          start = line;
          continue;
        }
        field += ch;
      }
      return out;
    },
    end(): CsvRecord[] {
      const out: CsvRecord[] = [];
      if (field !== '' || fields.length > 0) finish(out);
      return out;
    },
  };
}
