/** One element: its attributes' text and its body (null for `<x/>`). */
export interface XmlElement {
  attrs: string;
  body: string | null;
}

/**
 * The `name` elements of `xml`, with any namespace prefix (`row`, `x:row`), in order. Not nested
 * ones of the same name (spreadsheet parts have none). Linear in the input whatever it holds: an
 * element without its end stops the scan, where a lazy regex would rescan the rest for every
 * start tag of a crafted file.
 */
export function* xmlElements(xml: string, name: string): Generator<XmlElement> {
  const open = new RegExp(`<((?:[\\w.-]{1,64}:)?${name})(\\s[^<>]{0,4096})?(\\/?)>`, 'g');
  for (let m = open.exec(xml); m; m = open.exec(xml)) {
    const attrs = m[2] ?? '';
    if (m[3] === '/') {
      yield { attrs, body: null };
      continue;
    }
    const close = `</${m[1]}>`;
    const end = xml.indexOf(close, open.lastIndex);
    if (end < 0) return;
    yield { attrs, body: xml.slice(open.lastIndex, end) };
    open.lastIndex = end + close.length;
  }
}
