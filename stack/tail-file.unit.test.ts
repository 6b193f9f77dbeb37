import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tailFile } from './processes.ts';

/** What reading the whole file gives, the reference the block-wise reader must match. */
const whole = (text: string, lines: number) =>
  text
    .split('\n')
    .slice(-lines - 1)
    .join('\n');

describe('tailFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tail-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const log = Array.from({ length: 300 }, (_, i) => `line ${i} — ünïcode ${'x'.repeat(i % 37)}`).join('\n') + '\n';

  it('matches the last lines of the whole file for any block size, across multi-byte characters', () => {
    const path = file('a.log', log);
    for (const blockSize of [1, 7, 100, 4096, 1 << 20])
      for (const lines of [1, 3, 40, 299, 300, 400])
        expect(tailFile(path, lines, blockSize), `${lines} lines, blocks of ${blockSize}`).toBe(whole(log, lines));
  });

  it('handles a last line without a newline, an empty file and a missing one', () => {
    expect(tailFile(file('b.log', 'a\nb\nc\nd'), 2, 2)).toBe(whole('a\nb\nc\nd', 2));
    expect(tailFile(file('c.log', ''), 5)).toBe('');
    expect(tailFile(join(dir, 'missing.log'), 5)).toBe('');
  });
});
