import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor } from '../core/wait-for.ts';

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

/** Starts a TypeScript entry point under tsx and waits until `readyPath` answers `ready(response)`. */
export async function startServerProcess(opts: {
  root: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  port: number;
  readyPath: string;
  /** Node flags before the entry (e.g. --cpu-prof). */
  nodeArgs?: string[];
  ready?: (res: Response) => Promise<boolean>;
}): Promise<ServerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...(opts.nodeArgs ?? []), '--import', 'tsx', join(opts.root, opts.entry)],
    {
      cwd: opts.root,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  let exited = false;
  child.once('exit', () => (exited = true));
  const url = `http://127.0.0.1:${opts.port}`;
  await waitFor(
    async () => {
      if (exited) throw new Error(`${opts.entry} exited during start`);
      const res = await fetch(`${url}${opts.readyPath}`).catch(() => undefined);
      return res ? (opts.ready ? opts.ready(res) : res.ok) : false;
    },
    { timeoutMs: 90_000, intervalMs: 200, what: `${opts.entry} on ${url}${opts.readyPath}` },
  );
  return {
    pid: child.pid!,
    url,
    stop: () =>
      new Promise((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Resident and peak resident memory of a process, MiB (Linux: VmRSS, VmHWM). */
export async function residentMemory(pid: number): Promise<{ rssMiB: number | null; peakMiB: number | null }> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => {
      const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(status);
      return m ? Math.round(Number(m[1]) / 1024) : null;
    };
    return { rssMiB: kb('VmRSS'), peakMiB: kb('VmHWM') };
  } catch {
    return { rssMiB: null, peakMiB: null };
  }
}

/** CPU time a process has used so far, ms (Linux: utime + stime from /proc/<pid>/stat). */
export async function cpuTimeMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}
