import { inflateRawSync } from 'node:zlib';
import { ValidationError } from '../../core/errors.ts';

export interface ZipLimits {
  /** Most bytes one entry may inflate to: a zip bomb stops here instead of filling memory. */
  maxEntryBytes: number;
  /** Most bytes all entries read from one file may inflate to, together. */
  maxTotalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntryBytes: 64 << 20, maxTotalBytes: 256 << 20 };

const bad = (path: string, why: string) =>
  new ValidationError(`${path}: not a readable .xlsx (zip) file: ${why}`, { path });

/**
 * The entries of a zip file by name, each read on demand (stored or deflated). Every offset is
 * checked against the buffer, and inflating stops at the limits, so a truncated, crafted or
 * bomb file is a ValidationError.
 */
export function zipEntries(
  buf: Buffer,
  path: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Map<string, () => Buffer> {
  const u32 = (at: number) => {
    if (at < 0 || at + 4 > buf.length) throw bad(path, 'truncated');
    return buf.readUInt32LE(at);
  };
  const u16 = (at: number) => {
    if (at < 0 || at + 2 > buf.length) throw bad(path, 'truncated');
    return buf.readUInt16LE(at);
  };
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad(path, 'no end of central directory');
  const count = u16(eocd + 10);
  let p = u32(eocd + 16);
  let inflated = 0;
  const out = new Map<string, () => Buffer>();
  for (let k = 0; k < count && u32(p) === 0x02014b50; k++) {
    const method = u16(p + 10);
    const size = u32(p + 20);
    const nameLen = u16(p + 28);
    const skip = nameLen + u16(p + 30) + u16(p + 32);
    const local = u32(p + 42);
    if (p + 46 + nameLen > buf.length) throw bad(path, 'truncated');
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    out.set(name, () => {
      const start = local + 30 + u16(local + 26) + u16(local + 28);
      if (start + size > buf.length) throw bad(path, `entry ${name} runs past the end`);
      const raw = buf.subarray(start, start + size);
      if (method === 0) return raw;
      if (method !== 8) throw bad(path, `entry ${name} uses compression method ${method}`);
      const room = Math.min(limits.maxEntryBytes, limits.maxTotalBytes - inflated);
      let data: Buffer;
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, room) });
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'ERR_BUFFER_TOO_LARGE')
          throw bad(path, `entry ${name} inflates past ${room} bytes (the import's limit; a zip bomb?)`);
        throw bad(path, `entry ${name}: ${(err as Error).message}`);
      }
      inflated += data.length;
      return data;
    });
    p += 46 + skip;
  }
  return out;
}
