import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { xlsxBuffer, zip, type XlsxCell } from '../../e2e/fixtures/xlsx-writer.ts';
import { ValidationError } from '../../core/errors.ts';
import { createCsvRecords, type CsvLimits } from './csv-records.ts';
import { parseXlsx } from './xlsx-reader.ts';

const csv = (text: string, limits?: CsvLimits) => {
  const p = createCsvRecords(limits);
  return [...p.push(text), ...p.end()];
};
const HEADER: XlsxCell[] = ['CustomerID', 'Gender', 'Location', 'Tenure_Months'];

describe('CSV records', () => {
  it('rejects "ab"c as malformed instead of reading abc', () => {
    expect(csv('a,b\n"ab"c,1\nx,y\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: [], error: expect.stringMatching(/Invalid Closing Quote/) },
      { line: 3, fields: ['x', 'y'] },
    ]);
  });
  it('an unclosed quote costs its own line, not the rest of the file', () => {
    const rows = csv('a,b\n"ab,1\nx,y\n' + 'q,r\n'.repeat(50), {
      maxRecordChars: 64,
      batchChars: 128,
      maxMalformedLines: 1_000,
    });
    expect(rows[1]).toMatchObject({ line: 2, error: expect.stringMatching(/Quote|Record Size/) });
    expect(rows.slice(2)).toHaveLength(51);
    expect(rows.at(-1)).toEqual({ line: 53, fields: ['q', 'r'] });
  });
  it('keeps a quoted field with line breaks that spans a batch boundary', () => {
    const long = `"${'w '.repeat(40)}\n${'v '.repeat(40)}",2`;
    const rows = csv(`a,b\n${'x,1\n'.repeat(30)}${long}\nz,3\n`, {
      maxRecordChars: 1024,
      batchChars: 100,
      maxMalformedLines: 1_000,
    });
    expect(rows.filter((r) => r.error)).toEqual([]);
    expect(rows.at(-2)!.fields[0]).toContain('\n');
    expect(rows.at(-1)).toEqual({ line: 34, fields: ['z', '3'] });
  });
  it('caps a line with no end instead of holding it', () => {
    const rows = csv(`a,b\n${'x'.repeat(100_000)}\nc,d`, {
      maxRecordChars: 1000,
      batchChars: 4096,
      maxMalformedLines: 1_000,
    });
    expect(rows.map((r) => r.error ?? r.fields.join())).toEqual(['a,b', 'line longer than 1000 characters', 'c,d']);
  });
  it('refuses a file of nothing but unclosed quotes after the malformed-line cap, instead of grinding through it', () => {
    const started = performance.now();
    expect(() => csv('a,b\n' + '"x,1\n'.repeat(20_000))).toThrow(/more than 1000 malformed CSV lines/);
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});

describe('xlsx reader', () => {
  it('reads the first tab in workbook order, not the lowest-numbered sheet file', () => {
    const buf = xlsxBuffer([HEADER, ['1', 'F', 'Chicago', 3]], { decoyTab: [['Old'], ['stale']] });
    expect(parseXlsx(buf, 'c.xlsx').map((r) => r.fields)).toEqual([HEADER, ['1', 'F', 'Chicago', '3']]);
  });
  it('accepts namespace-prefixed tags', () => {
    const buf = xlsxBuffer([HEADER, ['1', 'M', 'New York', 7]], { prefix: 'x' });
    expect(parseXlsx(buf, 'c.xlsx').map((r) => r.fields)).toEqual([HEADER, ['1', 'M', 'New York', '7']]);
  });
  it('an invalid character reference rejects its row, and the rows after it are read', () => {
    const buf = xlsxBuffer([HEADER, ['1', 'F', { raw: 'Chi&#x110000;cago' }, 3], ['2', 'M', 'Ohio', 4]]);
    const rows = parseXlsx(buf, 'c.xlsx');
    expect(rows[1]).toEqual({ line: 2, fields: [], error: 'invalid character reference &#x110000;' });
    expect(rows[2]).toEqual({ line: 3, fields: ['2', 'M', 'Ohio', '4'] });
  });
  it('stops inflating at the limit: a zip bomb is a ValidationError', { timeout: 30_000 }, () => {
    const bomb = Buffer.alloc(8 << 20, 0x20);
    const buf = xlsxBuffer([HEADER]);
    // A sheet of 8 MiB that deflates to ~8 kB.
    const parts = [{ name: 'xl/worksheets/sheet1.xml', data: bomb }];
    expect(deflateRawSync(bomb).length).toBeLessThan(20_000);
    expect(() =>
      parseXlsx(zip(parts), 'bomb.xlsx', { maxEntryBytes: 1 << 20, maxTotalBytes: 4 << 20, maxCellChars: 100 }),
    ).toThrow(/inflates past 1048576 bytes/);
    expect(parseXlsx(buf, 'ok.xlsx')).toHaveLength(1);
  });
});

/** Only ValidationError, bounded time (vitest's timeout) and bounded output, whatever the bytes. */
describe('fuzzing the readers with malformed input', () => {
  const csvish = fc.stringMatching(/^[a-z0-9,"\r\n ]{0,400}$/);
  it('CSV: every line is accounted for, no throw, records within the cap', () => {
    fc.assert(
      fc.property(csvish, fc.integer({ min: 1, max: 399 }), (text, cut) => {
        const limits = { maxRecordChars: 64, batchChars: 128, maxMalformedLines: 1_000 };
        const p = createCsvRecords(limits);
        const rows = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut)), ...p.end()];
        const lines = text.split(/\r\n|\r|\n/).length;
        for (const r of rows) {
          expect(r.line).toBeGreaterThanOrEqual(1);
          expect(r.line).toBeLessThanOrEqual(lines);
          expect(r.fields.join('').length).toBeLessThanOrEqual(limits.maxRecordChars);
        }
        expect(rows.map((r) => r.line)).toEqual([...rows.map((r) => r.line)].sort((a, b) => a - b));
      }),
      { numRuns: 500, seed: 15 },
    );
  }, 60_000);

  const onlyValidationErrors = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
    }
  };
  it('xlsx: random bytes, corrupted workbooks and bad cell text throw only ValidationError', () => {
    const good = xlsxBuffer([HEADER, ['1', 'F', 'Chicago', 3]]);
    const limits = { maxEntryBytes: 1 << 20, maxTotalBytes: 2 << 20, maxCellChars: 1000 };
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 20 }),
        fc.string({ maxLength: 40 }),
        (random, flips, text) => {
          onlyValidationErrors(() => parseXlsx(Buffer.from(random), 'r.xlsx', limits));
          const bent = Buffer.from(good);
          for (const [at, v] of flips) bent[at % bent.length] = v;
          onlyValidationErrors(() => parseXlsx(bent, 'b.xlsx', limits));
          const raw = xlsxBuffer([HEADER, ['1', { raw: text }, 'x', 1]], { prefix: 'y' });
          onlyValidationErrors(() => parseXlsx(raw, 't.xlsx', limits));
        },
      ),
      { numRuns: 200, seed: 15 },
    );
  }, 60_000);
  it('xlsx: a sheet of unclosed tags is read in linear time', () => {
    const sheet = '<row r="1"><c r="A1"><v>1</v></c></row>' + '<row><c>'.repeat(100_000);
    const buf = zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.from(sheet) }]);
    const t0 = performance.now();
    expect(parseXlsx(buf, 'u.xlsx').map((r) => r.fields)).toEqual([['1']]);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});
