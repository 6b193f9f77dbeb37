import { createHash } from 'node:crypto';

/** SHA-256 of the script as read, hex: what Prisma's schema engine stores in _prisma_migrations. */
export function checksumOf(script: string): string {
  return createHash('sha256').update(script).digest('hex');
}

/**
 * As Prisma compares (schema-connector checksum.rs): the script as read, with CRLF turned into LF,
 * or LF into CRLF, so a checkout whose git rewrote line endings still matches what was applied.
 * Checksums shorter than 64 characters come from an old Prisma that did not zero-pad each byte.
 */
export function matchesChecksum(script: string, stored: string): boolean {
  const variants = [script, script.replaceAll('\r\n', '\n'), script.replaceAll('\n', '\r\n')];
  return variants.some((s) => {
    const digest = createHash('sha256').update(s).digest();
    const hex = stored.length === 64 ? digest.toString('hex') : [...digest].map((b) => b.toString(16)).join('');
    return hex === stored;
  });
}
