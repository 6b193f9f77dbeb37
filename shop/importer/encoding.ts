import iconv from 'iconv-lite';

/**
 * Real copies of the DACON files come in UTF-8 (with or without BOM) or in cp949 (Excel on a
 * Korean Windows). A file is UTF-8 when its first 64 KiB decode strictly as UTF-8.
 */
export type TextEncoding = 'utf8' | 'cp949';

export function detectEncoding(head: Uint8Array): TextEncoding {
  // A multi-byte character may be cut at the end of the sample: drop up to 3 trailing bytes.
  let end = head.length;
  for (let i = 0; i < 3 && end > 0 && (head[end - 1]! & 0xc0) === 0x80; i++) end--;
  if (end > 0 && head[end - 1]! >= 0xc0) end--;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return 'utf8';
  } catch {
    return 'cp949';
  }
}

export interface ChunkDecoder {
  write(chunk: Buffer): string;
  end(): string;
}

/** Streaming decoder: keeps partial multi-byte characters across chunk boundaries. */
export function createChunkDecoder(encoding: TextEncoding): ChunkDecoder {
  if (encoding === 'utf8') {
    const d = new TextDecoder('utf-8');
    return { write: (c) => d.decode(c, { stream: true }), end: () => d.decode() };
  }
  const d = iconv.getDecoder('cp949');
  return { write: (c) => d.write(c), end: () => d.end() ?? '' };
}
