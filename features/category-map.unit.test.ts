import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCategoryMap, loadCategoryMap } from './category-map.ts';

describe('category map', () => {
  const map = createCategoryMap();

  it('maps the 20 raw categories onto 16 model categories', () => {
    expect(map.raw).toHaveLength(20);
    expect(map.model).toHaveLength(16);
    const modelOf = (raw: string) => map.model[map.modelIndexOfRaw(raw)];
    expect(['Nest-USA', 'Nest', 'Nest-Canada'].map(modelOf)).toEqual(['Nest', 'Nest', 'Nest']);
    expect(['Bags', 'Backpacks', 'More Bags'].map(modelOf)).toEqual(['Bags', 'Bags', 'Bags']);
    expect(modelOf('Apparel')).toBe('Apparel');
    // Every model category is also a raw category name (recommendations point at categories rows).
    for (const m of map.model) expect(map.canonicalRaw(m)).toBe(m);
  });

  it('matches names as real files spell them', () => {
    expect(map.canonicalRaw('nest usa')).toBe('Nest-USA');
    expect(map.canonicalRaw('Notebooks and Journals')).toBe('Notebooks & Journals');
    expect(map.canonicalRaw(' GIFT CARDS ')).toBe('Gift Cards');
    expect(map.canonicalRaw('Spaceships')).toBeNull();
  });

  it('loads a replacement table from JSON and rejects a malformed one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'catmap-'));
    try {
      await writeFile(
        join(dir, 'ok.json'),
        JSON.stringify({ Apparel: 'Clothes', Headgear: 'Clothes', Office: 'Office' }),
      );
      const custom = await loadCategoryMap(join(dir, 'ok.json'));
      expect(custom.model).toEqual(['Clothes', 'Office']);
      expect(custom.rawOfModel(0)).toEqual([0, 1]);
      await writeFile(join(dir, 'bad.json'), '["Apparel"]');
      await expect(loadCategoryMap(join(dir, 'bad.json'))).rejects.toThrow(/JSON object/);
      expect(() => createCategoryMap({ 'Nest-USA': 'Nest', 'nest usa': 'Nest' })).toThrow(/twice/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
