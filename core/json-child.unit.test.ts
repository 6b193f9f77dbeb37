import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnJsonChild } from './json-child.ts';

const root = resolve(import.meta.dirname, '..');
let dir = '';
let child = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'json-child-'));
  child = join(dir, 'child.ts');
  const helper = JSON.stringify(join(root, 'core/json-child.ts'));
  await writeFile(
    child,
    `import { runAsJsonChild } from ${helper};
runAsJsonChild(import.meta.url, async (o: { n: number }) => {
  if (o.n < 0) throw new Error('negative n');
  return { twice: o.n * 2 };
});
`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a measurement in a child process', () => {
  it('hands back the JSON line its child printed', async () => {
    expect(await spawnJsonChild(root, child, { n: 21 })).toEqual({ ok: true, value: { twice: 42 } });
  });
  it('reports a failed child with its exit code and stderr', async () => {
    const r = await spawnJsonChild(root, child, { n: -1 });
    expect(r).toMatchObject({ ok: false, code: 1 });
    expect(!r.ok && r.stderr).toContain('negative n');
  });
});
