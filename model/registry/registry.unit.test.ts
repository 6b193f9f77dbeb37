import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import type { ArtifactMeta } from './artifact.ts';
import type { RegistryTable } from './mysql-table.ts';
import { createRegistry, type Registry, type VersionEntry } from './registry.ts';

let dir: string;
let clock: number;
let rows: Map<string, VersionEntry>;
let registry: Registry;

const table: RegistryTable = {
  async upsert(entries, metricsJson) {
    for (const e of entries) {
      await metricsJson(e.version);
      rows.set(e.version, { ...e });
    }
  },
  async remove(versions) {
    for (const v of versions) rows.delete(v);
  },
};

async function add(value: number): Promise<string> {
  clock += 1000;
  const version = await registry.newVersion();
  const meta = {
    version,
    createdAt: new Date(clock).toISOString(),
    schemaHash: 'h',
    backend: 'wasm',
    data: { from: '2019-01-01T00:00:00.000Z', to: '2020-01-01T00:00:00.000Z' },
    evaluation: { rows: [] },
  } as unknown as ArtifactMeta;
  await mkdir(registry.pathOf(version), { recursive: true });
  await writeFile(join(registry.pathOf(version), 'artifact.json'), JSON.stringify(meta));
  await registry.register(meta, { name: 'ndcg@3', value });
  return version;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'registry-'));
  clock = Date.UTC(2026, 0, 1);
  rows = new Map();
  registry = createRegistry({ dir, table, now: () => new Date(clock) });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('model registry', () => {
  it('refuses version names that could leave the registry directory', async () => {
    expect(() => registry.pathOf('../../etc')).toThrow(ValidationError);
    await expect(registry.promote('../x')).rejects.toThrow(ValidationError);
  });

  it('registers candidates and promotes only a version that beats the champion', async () => {
    const a = await add(0.6);
    expect((await registry.promote(a)).promoted).toBe(true);
    const worse = await add(0.55);
    const r = await registry.promote(worse);
    expect(r).toMatchObject({ promoted: false });
    expect(r.reason).toMatch(/does not beat champion/);
    const better = await add(0.65);
    expect((await registry.promote(better)).promoted).toBe(true);
    expect((await registry.champion())!.version).toBe(better);
    expect(Object.fromEntries([...rows.values()].map((e) => [e.version, e.status]))).toEqual({
      [a]: 'retired',
      [worse]: 'candidate',
      [better]: 'champion',
    });
  });

  it('forces a promotion and rolls back to the replaced champion', async () => {
    const a = await add(0.6);
    await registry.promote(a);
    const b = await add(0.5);
    expect((await registry.promote(b, { force: true })).promoted).toBe(true);
    expect((await registry.rollback()).version).toBe(a);
    expect((await registry.champion())!.version).toBe(a);
    expect(rows.get(b)!.status).toBe('retired');
    await expect(registry.rollback()).rejects.toThrow(NotFoundError);
  });

  it('prunes old versions but keeps the champion and its rollback target', async () => {
    const versions = [];
    for (const v of [0.5, 0.6, 0.4, 0.3, 0.2]) versions.push(await add(v));
    await registry.promote(versions[0]!);
    await registry.promote(versions[1]!);
    const removed = await registry.prune(1);
    expect(removed.sort()).toEqual([versions[2]!, versions[3]!].sort());
    expect((await registry.list()).map((e) => e.version).sort()).toEqual(
      [versions[0]!, versions[1]!, versions[4]!].sort(),
    );
    expect((await readdir(dir)).filter((f) => f.startsWith('wd-')).sort()).toEqual(
      [versions[0]!, versions[1]!, versions[4]!].sort(),
    );
    expect([...rows.keys()].sort()).toEqual([versions[0]!, versions[1]!, versions[4]!].sort());
  });

  it('refuses unknown versions', async () => {
    await expect(registry.promote('nope')).rejects.toThrow(NotFoundError);
  });
});

describe('champion loading', () => {
  it('refuses to score without a champion', async () => {
    const { loadChampion } = await import('./champion.ts');
    await expect(loadChampion({ tf: {} as never, registry })).rejects.toThrow(NotFoundError);
  });
});
