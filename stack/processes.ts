import { spawn } from 'node:child_process';
import {
  mkdirSync,
  openSync,
  closeSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  existsSync,
  fstatSync,
  readSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '../core/errors.ts';

/** A long-running server we start detached and track by pid file. */
export interface ManagedProcess {
  name: string;
  runDir: string;
  logDir: string;
  /** A string that must appear in /proc/PID/cmdline, so a recycled pid is never mistaken for ours. */
  marker: string;
}

const pidFile = (p: ManagedProcess) => join(p.runDir, `${p.name}.pid`);
export const logFile = (p: ManagedProcess) => join(p.logDir, `${p.name}.log`);

export function readPid(p: ManagedProcess): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile(p), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Our process is alive only if the pid is alive and its command line carries our marker. */
export function runningPid(p: ManagedProcess): number | undefined {
  const pid = readPid(p);
  if (pid === undefined) return undefined;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return cmdline.includes(p.marker) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface StartOptions {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Starts the server in its own session (it outlives this CLI), output appended to its log. */
export function startDetached(p: ManagedProcess, opts: StartOptions): number {
  mkdirSync(p.runDir, { recursive: true });
  mkdirSync(p.logDir, { recursive: true });
  const fd = openSync(logFile(p), 'a');
  try {
    const child = spawn(opts.command, opts.args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: opts.env ?? process.env,
      cwd: opts.cwd,
    });
    if (child.pid === undefined) throw new Error(`could not start ${opts.command}`);
    child.unref();
    writeFileSync(pidFile(p), String(child.pid));
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

/** SIGTERM, then SIGKILL after `graceMs`; returns whether it was running. */
export async function stopProcess(p: ManagedProcess, graceMs = 30_000): Promise<boolean> {
  const pid = runningPid(p);
  if (pid === undefined) {
    rmSync(pidFile(p), { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await delay(100);
  if (alive(pid)) {
    process.kill(pid, 'SIGKILL');
    await waitGone(p, pid);
  }
  rmSync(pidFile(p), { force: true });
  return true;
}

/** SIGKILL cannot be caught, but a process stuck in the kernel (a hung disk, NFS) outlives it for a while. */
async function waitGone(p: ManagedProcess, pid: number, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (alive(pid)) {
    if (Date.now() > deadline)
      throw new AppError(
        `${p.name} (pid ${pid}) is still alive ${limitMs / 1000} s after SIGKILL; see /proc/${pid}/stat (state D: stuck in I/O)`,
      );
    await delay(50);
  }
}

/** Kill -9 without grace: for crash tests. */
export async function killProcess(p: ManagedProcess): Promise<void> {
  const pid = runningPid(p);
  if (pid === undefined) return;
  process.kill(pid, 'SIGKILL');
  await waitGone(p, pid);
  rmSync(pidFile(p), { force: true });
}

/** Resident memory in MiB from /proc (VmRSS). */
/**
 * Resident memory of a process and all its descendants: an app runs under its supervisor, whose own
 * memory says nothing about the app's.
 */
export function treeResidentMiB(pid: number): number | undefined {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command name (which may hold spaces) start at the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  let total: number | undefined;
  const visit = (p: number) => {
    const own = residentMiB(p);
    if (own !== undefined) total = (total ?? 0) + own;
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return total;
}

export function residentMiB(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** The last `lines` lines, read backwards in blocks so a large log is never loaded whole. */
export function tailFile(path: string, lines: number, blockSize = 64 * 1024): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const chunks: Buffer[] = [];
    let pos = fstatSync(fd).size;
    let newlines = 0;
    // One newline more than lines: the file ends with one, and the first line read may be partial.
    while (pos > 0 && newlines <= lines) {
      const len = Math.min(blockSize, pos);
      pos -= len;
      const block = Buffer.alloc(len);
      readSync(fd, block, 0, len, pos);
      chunks.unshift(block);
      for (const byte of block) if (byte === 0x0a) newlines++;
    }
    return Buffer.concat(chunks)
      .toString('utf8')
      .split('\n')
      .slice(-lines - 1)
      .join('\n');
  } finally {
    closeSync(fd);
  }
}
