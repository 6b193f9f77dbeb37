import { readFile } from 'node:fs/promises';
import { ValidationError } from '../core/errors.ts';

/**
 * The one table from the shop's 20 raw categories to the 16 the model predicts.
 *
 * Why these merges: the three Nest listings (Nest-USA, Nest, Nest-Canada) are the same
 * thermostat/camera line sold in different markets, and Bags / Backpacks / More Bags are one
 * shelf split by a merchandising whim; each small member has < 0.6% of lines, too few to learn
 * alone, and a recommendation of "Nest" or "Bags" is what the shop would show anyway.
 * Every model category keeps the name of one raw category, so `categories.id` rows exist for
 * all 16 (the recommendations table points at those rows).
 *
 * Replace it with `--category-map FILE` (JSON object raw -> model) on import and generate.
 */
export const DEFAULT_CATEGORY_TABLE: Readonly<Record<string, string>> = Object.freeze({
  Apparel: 'Apparel',
  'Nest-USA': 'Nest',
  Office: 'Office',
  Drinkware: 'Drinkware',
  Lifestyle: 'Lifestyle',
  Nest: 'Nest',
  Bags: 'Bags',
  Headgear: 'Headgear',
  'Notebooks & Journals': 'Notebooks & Journals',
  Waze: 'Waze',
  'Nest-Canada': 'Nest',
  Bottles: 'Bottles',
  Accessories: 'Accessories',
  Fun: 'Fun',
  'Gift Cards': 'Gift Cards',
  Housewares: 'Housewares',
  Google: 'Google',
  Backpacks: 'Bags',
  'More Bags': 'Bags',
  Android: 'Android',
});

export interface CategoryMap {
  /** Raw category names in table order. */
  readonly raw: readonly string[];
  /** Model category names in order of first appearance in the table; index = model index. */
  readonly model: readonly string[];
  /** Raw index -> model index. */
  readonly rawToModel: Int32Array;
  /** The canonical raw name for a spelling found in a file ("nest usa" -> "Nest-USA"), or null. */
  canonicalRaw(name: string): string | null;
  rawIndex(name: string): number;
  modelIndexOfRaw(name: string): number;
  /** Raw indices merged into one model index. */
  rawOfModel(modelIndex: number): readonly number[];
}

/** Case, spacing, punctuation and "&" vs "and" do not matter when matching names from files. */
export function normalizeCategoryKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export function createCategoryMap(table: Readonly<Record<string, string>> = DEFAULT_CATEGORY_TABLE): CategoryMap {
  const raw = Object.keys(table);
  if (raw.length === 0) throw new ValidationError('category map is empty');
  const model: string[] = [];
  const rawToModel = new Int32Array(raw.length);
  const byKey = new Map<string, number>();
  raw.forEach((name, i) => {
    const target = table[name]!;
    let m = model.indexOf(target);
    if (m < 0) m = model.push(target) - 1;
    rawToModel[i] = m;
    const key = normalizeCategoryKey(name);
    if (byKey.has(key)) throw new ValidationError(`category map lists "${name}" twice (as spelled differently)`);
    byKey.set(key, i);
  });
  const members = model.map((_, m) => raw.map((_, i) => i).filter((i) => rawToModel[i] === m));
  const rawIndex = (name: string): number => byKey.get(normalizeCategoryKey(name)) ?? -1;
  return {
    raw,
    model,
    rawToModel,
    canonicalRaw: (name) => {
      const i = rawIndex(name);
      return i < 0 ? null : raw[i]!;
    },
    rawIndex,
    modelIndexOfRaw: (name) => {
      const i = rawIndex(name);
      return i < 0 ? -1 : rawToModel[i]!;
    },
    rawOfModel: (m) => members[m] ?? [],
  };
}

/**
 * The one loader every process uses: the default table, or a JSON object { "Raw name": "Model name" }
 * replacing it when a file is given (`--category-map`, CATEGORY_MAP_FILE).
 */
export async function loadCategoryMap(path?: string): Promise<CategoryMap> {
  if (path === undefined) return createCategoryMap();
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new ValidationError(`cannot read category map ${path}`, { cause, path });
  }
  const ok =
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every((v) => typeof v === 'string' && v.length > 0);
  if (!ok) throw new ValidationError(`category map ${path} must be a JSON object of raw name -> model name`, { path });
  return createCategoryMap(parsed as Record<string, string>);
}
