import { describe, expect, it } from 'vitest';
import { checksumOf, matchesChecksum } from './migration-checksum.ts';

describe('migration checksums', () => {
  it("is Prisma's: SHA-256 hex of the script, zero-padded", () => {
    expect(checksumOf('hello')).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
  });

  it('matches across LF and CRLF checkouts, in both directions', () => {
    const lf = 'CREATE TABLE a (id INT);\nCREATE TABLE b (id INT);\n';
    const crlf = lf.replaceAll('\n', '\r\n');
    expect(checksumOf(lf)).not.toBe(checksumOf(crlf));
    for (const script of [lf, crlf])
      for (const applied of [lf, crlf]) expect(matchesChecksum(script, checksumOf(applied))).toBe(true);
  });

  it('still refuses an edited script', () => {
    expect(matchesChecksum('abc', checksumOf('abcd'))).toBe(false);
    expect(matchesChecksum('abc\n', checksumOf('abc'))).toBe(false);
  });

  it('accepts the unpadded checksums an old Prisma wrote', () => {
    const unpadded = [...Buffer.from(checksumOf('hello'), 'hex')].map((b) => b.toString(16)).join('');
    expect(unpadded.length).toBeLessThan(64);
    expect(matchesChecksum('hello', unpadded)).toBe(true);
  });
});
