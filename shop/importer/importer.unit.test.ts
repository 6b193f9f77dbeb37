import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { writeShopFixture, type FixtureLayout, type ShopFixture } from '../../e2e/fixtures/shop-files.ts';
import { createCategoryMap } from '../../features/category-map.ts';
import { readCsv } from './csv-reader.ts';
import { createCsvRecords } from './csv-records.ts';
import { detectEncoding } from './encoding.ts';
import { parseShopDirectory, type ParsedShop } from './parse-shop.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'shop-fixture-'));
  dirs.push(d);
  return d;
};

async function parseFixture(
  layout: FixtureLayout,
  encoding?: 'utf8' | 'cp949',
): Promise<{ fx: ShopFixture; parsed: ParsedShop }> {
  const fx = await writeShopFixture(await tempDir(), layout, { encoding });
  return { fx, parsed: await parseShopDirectory(fx.dir, { categoryMap: createCategoryMap() }) };
}

describe.each([
  ['kaggle', undefined],
  ['dacon', 'utf8'],
  ['dacon', 'cp949'],
] as const)('importer parse: %s layout (%s)', (layout, encoding) => {
  it('reads every good row exactly, in order', async () => {
    const { fx, parsed } = await parseFixture(layout, encoding);
    expect(parsed.customers).toEqual(fx.customers);
    expect(parsed.sales).toEqual(fx.sales);
    expect(parsed.discounts).toEqual(fx.discounts);
    expect(parsed.taxes).toEqual(fx.taxes);
    expect(parsed.marketing).toHaveLength(2);
  });

  it('reports each malformed row with file, line and reason, and keeps the rest', async () => {
    const { fx, parsed } = await parseFixture(layout, encoding);
    expect(parsed.rejects.count).toBe(fx.rejects.length);
    for (const want of fx.rejects) {
      const got = parsed.rejects.samples.find((r) => r.file === want.file && r.line === want.line);
      expect(got, `${want.file}:${want.line}`).toBeDefined();
      expect(got!.reason).toContain(want.reason);
    }
    const sales = parsed.files.find((f) => f.kind === 'sales')!;
    expect(sales.accepted).toBe(fx.sales.length);
    expect(sales.read).toBe(fx.sales.length + fx.rejects.filter((r) => r.file === sales.file).length);
    expect(sales.layout).toBe(layout);
  });

  it('counts a transaction id shared by two customers and keeps both', async () => {
    const { parsed } = await parseFixture(layout, encoding);
    expect(parsed.sharedTransactionIds).toBe(1);
    const owners = new Set(parsed.sales.filter((l) => l.transactionId === '16682').map((l) => l.customerId));
    expect(owners.size).toBe(2);
  });
});

describe('encodings', () => {
  it('detects and decodes a cp949 DACON file written through iconv-lite', async () => {
    const { fx, parsed } = await parseFixture('dacon', 'cp949');
    const raw = await readFile(join(fx.dir, 'Customer_info.csv'));
    expect(raw.includes(Buffer.from('고객ID', 'utf8'))).toBe(false);
    expect(detectEncoding(raw)).toBe('cp949');
    expect(parsed.files.find((f) => f.kind === 'customers')!.encoding).toBe('cp949');
    expect(parsed.customers.map((c) => c.gender)).toEqual(['M', 'M', 'F', 'F']);
  });

  it('treats UTF-8 cut in the middle of a character as UTF-8', () => {
    const bytes = Buffer.from('고객ID,성별\n', 'utf8');
    expect(detectEncoding(bytes.subarray(0, 4))).toBe('utf8');
    expect(detectEncoding(iconv.encode('고객ID,성별\n', 'cp949'))).toBe('cp949');
  });
});

describe('csv parser', () => {
  it('keeps quotes, commas and newlines inside fields whatever the chunk boundaries', () => {
    const text = 'a,b\r\n"x, ""y""",2\r\n"multi\nline",3\n\nlast,4';
    const whole = createCsvRecords();
    const expected = [...whole.push(text), ...whole.end()];
    expect(expected).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, "y"', '2'] },
      { line: 3, fields: ['multi\nline', '3'] },
      { line: 6, fields: ['last', '4'] },
    ]);
    for (let cut = 1; cut < text.length; cut++) {
      const p = createCsvRecords();
      expect([...p.push(text.slice(0, cut)), ...p.push(text.slice(cut)), ...p.end()], `cut at ${cut}`).toEqual(
        expected,
      );
    }
  });

  it('drops a UTF-8 BOM and reads a file without a final newline', async () => {
    const path = join(await tempDir(), 'x.csv');
    await writeFile(path, '\uFEFFCustomerID,Gender\n1,F');
    const rows = [];
    for await (const r of readCsv(path)) rows.push(r);
    expect(rows).toEqual([
      { line: 1, fields: ['CustomerID', 'Gender'] },
      { line: 2, fields: ['1', 'F'] },
    ]);
  });
});

describe('missing files and columns', () => {
  it('names the missing file', async () => {
    await expect(parseShopDirectory(await tempDir(), { categoryMap: createCategoryMap() })).rejects.toThrow(
      /Online_Sales\.csv/,
    );
  });

  it('names the missing column with file and line', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'Online_Sales.csv'), 'CustomerID,Transaction_ID\n1,2\n');
    await writeFile(join(dir, 'CustomersData.csv'), 'CustomerID,Gender,Location,Tenure_Months\n1,F,Chicago,3\n');
    await expect(parseShopDirectory(dir, { categoryMap: createCategoryMap() })).rejects.toThrow(
      /Online_Sales\.csv:1: missing column\(s\) Transaction_Date/,
    );
  });
});
