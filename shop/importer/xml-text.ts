import { ValidationError } from '../../core/errors.ts';

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** What XML 1.0 allows as a character (its `Char` production): anything else is not text. */
const isXmlChar = (c: number) =>
  c === 0x9 ||
  c === 0xa ||
  c === 0xd ||
  (c >= 0x20 && c <= 0xd7ff) ||
  (c >= 0xe000 && c <= 0xfffd) ||
  (c >= 0x10000 && c <= 0x10ffff);

/**
 * Decodes XML/HTML character and entity references (`&amp;`, `&#233;`, `&#xE9;`). A reference
 * to something that is not a character (`&#0;`, `&#x110000;`) is the cell's or row's error, a
 * ValidationError, never a RangeError that would abort a whole import.
 */
export function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,8}|#\d{1,10}|\w{1,32});/g, (all, e: string) => {
    if (e[0] !== '#') return XML_ENTITIES[e] ?? all;
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
    if (!isXmlChar(code)) throw new ValidationError(`invalid character reference ${all}`);
    return String.fromCodePoint(code);
  });
}
