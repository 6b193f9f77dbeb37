import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface ProfileEntry {
  /** Share of all samples spent in the function itself (not its callees), %. */
  selfPct: number;
  name: string;
  where: string;
}

/** Short `package/file:line` (or repo-relative path) for a V8 call frame URL. */
function whereOf(url: string, line: number, root: string): string {
  if (!url) return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  const short = nm >= 0 ? path.slice(nm + 'node_modules/'.length) : path.startsWith('/') ? relative(root, path) : path;
  return `${short}:${line + 1}`;
}

/** Every sampled frame of the profiles in `dir`, less the idle ones (waiting is not a cost). */
async function* busyFrames(dir: string) {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  for (const f of files) {
    const p = JSON.parse(await readFile(join(dir, f), 'utf8')) as CpuProfile;
    for (const node of p.nodes) {
      const hits = node.hitCount ?? 0;
      if (hits && node.callFrame.functionName !== '(idle)') yield { hits, frame: node.callFrame };
    }
  }
}

/**
 * Self time per function across every .cpuprofile that `node --cpu-prof` wrote into `dir`, best first,
 * as a share of the busy samples (GC and `(program)` are kept: they are part of what a request costs).
 */
export async function topOfProfiles(dir: string, root: string, n = 15): Promise<ProfileEntry[]> {
  const self = new Map<string, number>();
  let total = 0;
  for await (const { hits, frame } of busyFrames(dir)) {
    const key = `${frame.functionName || '(anonymous)'}\t${whereOf(frame.url, frame.lineNumber, root)}`;
    self.set(key, (self.get(key) ?? 0) + hits);
    total += hits;
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, hits]) => {
      const [name, where] = key.split('\t') as [string, string];
      return { selfPct: Math.round((hits / Math.max(1, total)) * 1000) / 10, name, where };
    });
}

/**
 * Self time summed per area (the first pattern that matches a frame's `url` or function name
 * names its area; "other" otherwise), as a share of the busy samples: where a phase's CPU goes.
 */
export async function areasOfProfiles(dir: string, areas: [string, RegExp][]): Promise<Record<string, number>> {
  const sums = new Map<string, number>();
  let total = 0;
  for await (const { hits, frame } of busyFrames(dir)) {
    const area = areas.find(([, re]) => re.test(frame.url) || re.test(frame.functionName))?.[0] ?? 'other';
    sums.set(area, (sums.get(area) ?? 0) + hits);
    total += hits;
  }
  return Object.fromEntries(
    [...sums].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round((v / Math.max(1, total)) * 1000) / 10]),
  );
}
