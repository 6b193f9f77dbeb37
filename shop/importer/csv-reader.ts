import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { classify } from '../../core/errors.ts';
import { createChunkDecoder, detectEncoding, type TextEncoding } from './encoding.ts';
import { createCsvRecords, DEFAULT_CSV_LIMITS, type CsvLimits, type CsvRecord } from './csv-records.ts';

export type { CsvRecord } from './csv-records.ts';

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
 * The file's records, streamed (see csv-records.ts): a malformed line is yielded with its
 * error and skipped; a BOM is dropped; empty lines are skipped.
 */
export async function* readCsv(
  path: string,
  encoding?: TextEncoding,
  limits: CsvLimits = DEFAULT_CSV_LIMITS,
): AsyncGenerator<CsvRecord> {
  const decoder = createChunkDecoder(encoding ?? (await sniffEncoding(path)));
  const records = createCsvRecords(limits);
  let first = true;
  const push = (text: string) => {
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return records.push(text);
  };
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 16 })) {
      yield* push(decoder.write(chunk as Buffer));
    }
  } catch (cause) {
    throw classify(cause, `cannot read ${path}`);
  }
  yield* push(decoder.end());
  yield* records.end();
}
