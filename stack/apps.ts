import { join } from 'node:path';
import { waitFor } from '../core/wait-for.ts';
import { logFile, runningPid, startDetached, stopProcess, type ManagedProcess } from './processes.ts';
import { stackPaths, type StackSettings } from './settings.ts';

/** The project's own long-running processes, started beside the stack by `npm start`. */
export type App = 'features';
export const APPS: App[] = ['features'];

const ENTRY: Record<App, string> = { features: 'consumers/feature-store/main.ts' };

export function appProcess(s: StackSettings, app: App): ManagedProcess {
  const p = stackPaths(s);
  return { name: app, runDir: p.run, logDir: p.logs, marker: join(s.root, ENTRY[app]) };
}

export function metricsPortOf(env: NodeJS.ProcessEnv): number {
  return Number(env.FEATURES_METRICS_PORT ?? 9464);
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
  } catch {
    return false;
  }
}

/** Starts the app detached (it outlives the CLI) with the env it parses its own config from. */
export async function startApp(s: StackSettings, app: App, env: NodeJS.ProcessEnv): Promise<number> {
  const proc = appProcess(s, app);
  const running = runningPid(proc);
  if (running) return running;
  const pid = startDetached(proc, {
    command: process.execPath,
    args: ['--import', 'tsx', join(s.root, ENTRY[app])],
    env: { ...process.env, ...env },
    cwd: s.root,
  });
  await waitFor(
    async () => {
      if (!runningPid(proc)) throw new Error(`${app} exited during start (log: ${logFile(proc)})`);
      return healthy(metricsPortOf(env));
    },
    { timeoutMs: 60_000, intervalMs: 200, what: `${app} to answer /healthz (log: ${logFile(proc)})` },
  );
  return pid;
}

export const stopApp = (s: StackSettings, app: App) => stopProcess(appProcess(s, app), 15_000);

export async function appHealthy(env: NodeJS.ProcessEnv): Promise<boolean> {
  return healthy(metricsPortOf(env));
}
