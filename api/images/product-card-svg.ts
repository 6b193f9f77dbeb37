/** Everything a product card shows: the project draws its own images, so none are fetched. */
export interface CardInput {
  productId: number;
  categoryId: number;
  categoryName: string;
  title: string;
  price: number;
}

const escapeXml = (s: string) =>
  s.replace(/[<>&'"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[ch]!);

/** FNV-1a: a stable small hash, so a category keeps its colour across restarts and machines. */
function hash(n: number, salt: number): number {
  let h = 0x811c9dc5 ^ salt;
  for (const byte of [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]) {
    h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  }
  return h;
}

/** Greedy word wrap; a word longer than a line is cut, and the last line gets an ellipsis if text remains. */
export function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const w = word.length > width ? `${word.slice(0, width - 1)}…` : word;
    if (!line) line = w;
    else if (line.length + 1 + w.length <= width) line += ` ${w}`;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${kept[maxLines - 1]!.slice(0, width - 1)}…`;
  return kept;
}

/** A 400×400 SVG card: the category's colour (hue from its id), the initial, title and price. */
export function productCardSvg(p: CardInput): string {
  const hue = hash(p.categoryId, 7) % 360;
  const accent = (hue + 40 + (hash(p.productId, 13) % 60)) % 360;
  const initial = escapeXml((p.title.trim()[0] ?? '?').toUpperCase());
  const titleLines = wrap(p.title, 24, 3)
    .map((l, i) => `<text x="24" y="${290 + i * 26}" class="t">${escapeXml(l)}</text>`)
    .join('');
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400" role="img"',
    ` aria-label="${escapeXml(p.title)}">`,
    '<style>.t{font:600 20px system-ui,sans-serif;fill:#1f2328}.c{font:500 14px system-ui,sans-serif}</style>',
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue} 70% 62%)"/>`,
    `<stop offset="1" stop-color="hsl(${accent} 65% 45%)"/></linearGradient></defs>`,
    '<rect width="400" height="400" rx="16" fill="#fff"/>',
    '<rect width="400" height="240" rx="16" fill="url(#g)"/><rect y="224" width="400" height="16" fill="url(#g)"/>',
    `<text x="200" y="150" text-anchor="middle" font-family="system-ui,sans-serif" font-size="96" font-weight="700" fill="#fff" fill-opacity="0.9">${initial}</text>`,
    `<text x="24" y="264" class="c" fill="hsl(${hue} 60% 35%)">${escapeXml(p.categoryName)}</text>`,
    titleLines,
    `<text x="376" y="380" text-anchor="end" class="t">${p.price.toFixed(2)}</text>`,
    '</svg>',
  ].join('');
}
