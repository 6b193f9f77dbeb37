import { describe, expect, it } from 'vitest';
import { createCategoryMap } from '../features/category-map.ts';
import { REAL_DATA } from './calibration.ts';

describe('calibration against the category map', () => {
  it('names exactly the raw categories the map knows', () => {
    const map = createCategoryMap();
    expect(new Set(REAL_DATA.categories.map((c) => map.canonicalRaw(c.name)))).toEqual(new Set(map.raw));
  });
});
