import { posix } from 'node:path';

const attr = (tagText: string, name: string) =>
  new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`).exec(tagText)?.[1] ??
  new RegExp(`\\s${name}\\s*=\\s*'([^']*)'`).exec(tagText)?.[1];

/**
 * The part that holds the workbook's first tab: the first `<sheet>` of xl/workbook.xml (tabs
 * are listed in the order Excel shows them), resolved through xl/_rels/workbook.xml.rels. Sheet
 * file numbers follow creation, not tab order, so the lowest-numbered file is only the fallback
 * for a workbook without those parts.
 */
export function firstSheetPath(text: (name: string) => string | null, names: string[]): string | undefined {
  const workbook = text('xl/workbook.xml');
  const rels = text('xl/_rels/workbook.xml.rels');
  if (workbook && rels) {
    const sheet = /<(?:[\w.-]+:)?sheet\s[^>]*>/.exec(workbook)?.[0];
    const id = sheet ? attr(sheet, '[\\w.-]+:id') : undefined;
    const rel = [...rels.matchAll(/<(?:[\w.-]+:)?Relationship\s[^>]*>/g)]
      .map((m) => m[0])
      .find((r) => attr(r, 'Id') === id);
    const target = rel ? attr(rel, 'Target') : undefined;
    if (target) {
      const path = target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join('xl', target));
      if (names.includes(path)) return path;
    }
  }
  return names
    .filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))
    .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))[0];
}
