import type { ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { writeRestarts, type RestartRecord } from './restart-counter.ts';

export interface SupervisorDeps {
  spawnChild: () => ChildProcess;
  /** Where the restart count goes (see restart-counter.ts). */
  counterFile: string;
  log: (msg: string) => void;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A child that ran this long was healthy: the next backoff starts small again. */
  stableMs?: number;
  now?: () => number;
}

export interface Supervisor {
  /** Forwards `signal` to the child, SIGKILLs it after `graceMs`, and restarts nothing more. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
  /** Settles once the supervisor has nothing left to watch. */
  done: Promise<void>;
  restarts(): number;
}

const exitOf = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

/**
 * Keeps one app running: restarts it with capped exponential backoff whenever it exits by
 * itself with a failure, and counts the restarts. An exit with 0 is the app stopping on
 * purpose (run-main exits 0 only after SIGTERM/SIGINT), so it is not restarted.
 */
export function supervise(deps: SupervisorDeps): Supervisor {
  const now = deps.now ?? Date.now;
  const min = deps.minBackoffMs ?? 1_000;
  const max = deps.maxBackoffMs ?? 30_000;
  const record: RestartRecord = { restarts: 0 };
  let child: ChildProcess | undefined;
  let stopping = false;
  const abort = new AbortController();
  writeRestarts(deps.counterFile, record);

  const loop = async () => {
    let backoff = min;
    while (!stopping) {
      const started = now();
      child = deps.spawnChild();
      const { code, signal } = await exitOf(child);
      if (stopping || code === 0) return;
      record.restarts++;
      record.lastExit = { code, signal, at: new Date(now()).toISOString() };
      writeRestarts(deps.counterFile, record);
      if (now() - started >= (deps.stableMs ?? 60_000)) backoff = min;
      deps.log(`exited (${signal ?? `code ${code}`}); restart ${record.restarts} in ${backoff} ms`);
      await delay(backoff, undefined, { signal: abort.signal }).catch(() => {});
      backoff = Math.min(backoff * 2, max);
    }
  };
  const done = loop();

  return {
    done,
    restarts: () => record.restarts,
    async stop(signal = 'SIGTERM', graceMs = 12_000) {
      stopping = true;
      abort.abort();
      const c = child;
      if (c && c.exitCode === null && c.signalCode === null) {
        const exited = exitOf(c);
        c.kill(signal);
        const timer = setTimeout(() => c.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      await done;
    },
  };
}
