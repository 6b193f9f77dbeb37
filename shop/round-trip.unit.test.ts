import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCategoryMap } from '../features/category-map.ts';
import { generateToCsv } from './csv-writer.ts';
import { toSalesLines } from './generator/sales-lines.ts';
import { createShopGenerator } from './generator/shop-generator.ts';
import { parseShopDirectory } from './importer/parse-shop.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('generate -> Kaggle CSV -> importer parse', () => {
  it('gives back exactly the generated rows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'round-trip-'));
    dirs.push(dir);
    const gen = createShopGenerator({ seed: 21, shoppers: 250 });
    const written = await generateToCsv({ generator: gen, dir });
    const parsed = await parseShopDirectory(dir, { categoryMap: createCategoryMap() });
    const generated = [...gen.generate()];
    expect(parsed.rejects.count).toBe(0);
    expect(parsed.customers).toEqual(generated.map((g) => g.customer));
    expect(parsed.sales).toEqual(generated.flatMap((g) => toSalesLines(g, gen.categoryMap.raw)));
    expect(parsed.sales).toHaveLength(written.lines);
    expect(parsed.discounts).toEqual(gen.discounts);
    expect(parsed.taxes).toEqual(gen.taxes);
  });
});
