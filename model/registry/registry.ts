import { checkName } from '../../core/names.ts';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import type { ArtifactMeta } from './artifact.ts';
import type { RegistryTable } from './mysql-table.ts';

export type ModelStatus = 'candidate' | 'champion' | 'retired';

export interface VersionEntry {
  version: string;
  status: ModelStatus;
  createdAt: string;
  promotedAt: string | null;
  /** The champion this one replaced when promoted: what rollback returns to. */
  replaces: string | null;
  metric: string;
  metricValue: number;
  schemaHash: string;
  backend: string;
  dataFrom: string;
  dataTo: string;
  artifactPath: string;
}

export interface RegistryDeps {
  /** Artifacts live in <dir>/<version>/, the index in <dir>/registry.json. */
  dir: string;
  table?: RegistryTable | null;
  now?: () => Date;
}

export interface Registry {
  readonly dir: string;
  pathOf(version: string): string;
  newVersion(): Promise<string>;
  register(meta: ArtifactMeta, metric: { name: string; value: number }): Promise<VersionEntry>;
  list(): Promise<VersionEntry[]>;
  champion(): Promise<VersionEntry | null>;
  /** Promotes if it beats the champion on the champion's metric (or `force`); returns why not otherwise. */
  promote(version: string, opts?: { force?: boolean }): Promise<{ promoted: boolean; reason: string }>;
  rollback(): Promise<VersionEntry>;
  /** Deletes all but the newest `keep` non-champion versions (artifacts and rows). */
  prune(keep: number): Promise<string[]>;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function createRegistry(deps: RegistryDeps): Registry {
  const dir = resolve(deps.dir);
  const indexPath = join(dir, 'registry.json');
  const now = deps.now ?? (() => new Date());

  const read = async (): Promise<VersionEntry[]> => {
    try {
      return (JSON.parse(await readFile(indexPath, 'utf8')) as { versions: VersionEntry[] }).versions;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new ValidationError(`model registry index ${indexPath} is unreadable`, { cause: err });
    }
  };
  const metricsJson = async (version: string) => {
    const meta = JSON.parse(await readFile(join(dir, version, 'artifact.json'), 'utf8')) as ArtifactMeta;
    return JSON.stringify(meta.evaluation);
  };
  /** Disk first (write-then-rename so a crash never leaves half an index), then the table. */
  const write = async (all: VersionEntry[], changed: VersionEntry[]) => {
    await mkdir(dir, { recursive: true });
    await writeFile(`${indexPath}.tmp`, JSON.stringify({ versions: all }, null, 2));
    await rename(`${indexPath}.tmp`, indexPath);
    await deps.table?.upsert(changed, metricsJson);
  };
  const find = (all: VersionEntry[], version: string) => {
    checkName(version, 'model version');
    const e = all.find((x) => x.version === version);
    if (!e) throw new NotFoundError(`no model version ${version} (see npm run model -- list)`);
    return e;
  };

  return {
    dir,
    pathOf: (version) => join(dir, checkName(version, 'model version')),
    async newVersion() {
      const d = now();
      const base = `wd-${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
      const taken = new Set((await read()).map((e) => e.version));
      let v = base;
      for (let i = 2; taken.has(v); i++) v = `${base}-${i}`;
      return v;
    },
    async register(meta, metric) {
      checkName(meta.version, 'model version');
      const all = await read();
      const entry: VersionEntry = {
        version: meta.version,
        status: 'candidate',
        createdAt: meta.createdAt,
        promotedAt: null,
        replaces: null,
        metric: metric.name,
        metricValue: metric.value,
        schemaHash: meta.schemaHash,
        backend: meta.backend,
        dataFrom: meta.data.from,
        dataTo: meta.data.to,
        artifactPath: join(dir, meta.version),
      };
      await write([...all.filter((e) => e.version !== entry.version), entry], [entry]);
      return entry;
    },
    list: read,
    async champion() {
      return (await read()).find((e) => e.status === 'champion') ?? null;
    },
    async promote(version, opts = {}) {
      const all = await read();
      const entry = find(all, version);
      const current = all.find((e) => e.status === 'champion') ?? null;
      if (current?.version === version) return { promoted: false, reason: `${version} is already the champion` };
      if (current && !opts.force) {
        if (entry.metric !== current.metric)
          return { promoted: false, reason: `metrics differ (${entry.metric} vs ${current.metric}); use --force` };
        if (!(entry.metricValue > current.metricValue)) {
          return {
            promoted: false,
            reason: `${entry.metric} ${entry.metricValue.toFixed(4)} does not beat champion ${current.version} (${current.metricValue.toFixed(4)}); use --force`,
          };
        }
      }
      if (current) current.status = 'retired';
      Object.assign(entry, { status: 'champion', promotedAt: now().toISOString(), replaces: current?.version ?? null });
      await write(all, current ? [current, entry] : [entry]);
      return { promoted: true, reason: current ? `replaces ${current.version}` : 'first champion' };
    },
    async rollback() {
      const all = await read();
      const current = all.find((e) => e.status === 'champion');
      if (!current) throw new NotFoundError('there is no champion to roll back');
      const previous = current.replaces ? all.find((e) => e.version === current.replaces) : undefined;
      if (!previous)
        throw new NotFoundError(
          `champion ${current.version} replaced nothing still in the registry; promote a version instead`,
        );
      current.status = 'retired';
      previous.status = 'champion';
      await write(all, [current, previous]);
      return previous;
    },
    async prune(keep) {
      const all = await read();
      const champion = all.find((e) => e.status === 'champion');
      // Never prune the champion nor the version rollback would return to.
      const protectedVersions = new Set([champion?.version, champion?.replaces].filter(Boolean));
      const others = all
        .filter((e) => !protectedVersions.has(e.version))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      const removed = others.slice(keep).map((e) => e.version);
      for (const v of removed) await rm(join(dir, v), { recursive: true, force: true });
      const rest = all.filter((e) => !removed.includes(e.version));
      await write(rest, []);
      await deps.table?.remove(removed);
      return removed;
    },
  };
}
