import { join } from 'node:path';
import { appPort, type AppName } from '../core/config/app-ports.ts';
import { waitFor } from '../core/wait-for.ts';
import { logFile, runningPid, startDetached, stopProcess, type ManagedProcess } from './processes.ts';
import { stackPaths, type StackSettings } from './settings.ts';

/** One of the project's own long-running processes, started beside the stack by `npm start`. */
export interface AppDef {
  name: AppName;
  summary: string;
  /** The process: a TypeScript entry point run with tsx, or a command line of its own. */
  entry: string;
  command?: (root: string) => { command: string; args: string[] };
  /** Answers 200 while the app does its work. */
  healthPath: string;
}

/** Adding a background app is one entry here; its port comes from core/config/app-ports.ts. */
export const APPS: AppDef[] = [
  {
    name: 'features',
    summary: 'feature store consumer',
    entry: 'consumers/feature-store/main.ts',
    healthPath: '/healthz',
  },
  {
    name: 'api',
    summary: 'HTTP API for the storefront and operators (Hono)',
    entry: 'api/main.ts',
    healthPath: '/healthz',
  },
];

export const appDef = (name: AppName): AppDef => {
  const def = APPS.find((a) => a.name === name);
  if (!def) throw new Error(`no app named ${name}`);
  return def;
};

export function appProcess(s: StackSettings, app: AppName): ManagedProcess {
  const p = stackPaths(s);
  return { name: app, runDir: p.run, logDir: p.logs, marker: join(s.root, appDef(app).entry) };
}

export const appUrl = (app: AppName, env: NodeJS.ProcessEnv, path = appDef(app).healthPath) =>
  `http://127.0.0.1:${appPort(app, env)}${path}`;

export async function appHealthy(app: AppName, env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    return (await fetch(appUrl(app, env), { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

/** Starts the app detached (it outlives the CLI) with the env it parses its own config from. */
export async function startApp(s: StackSettings, app: AppName, env: NodeJS.ProcessEnv): Promise<number> {
  const proc = appProcess(s, app);
  const running = runningPid(proc);
  if (running) return running;
  const def = appDef(app);
  const cmd = def.command?.(s.root) ?? {
    command: process.execPath,
    args: ['--import', 'tsx', join(s.root, def.entry)],
  };
  const pid = startDetached(proc, { ...cmd, env: { ...process.env, ...env }, cwd: s.root });
  await waitFor(
    async () => {
      if (!runningPid(proc)) throw new Error(`${app} exited during start (log: ${logFile(proc)})`);
      return appHealthy(app, env);
    },
    { timeoutMs: 90_000, intervalMs: 200, what: `${app} to answer ${appUrl(app, env)} (log: ${logFile(proc)})` },
  );
  return pid;
}

export const stopApp = (s: StackSettings, app: AppName) => stopProcess(appProcess(s, app), 15_000);
