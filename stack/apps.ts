import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readRestarts, restartFile } from './restart-counter.ts';
import { appPort, type AppName } from '../core/config/app-ports.ts';
import { AppError } from '../core/errors.ts';
import { waitFor } from '../core/wait-for.ts';
import { logFile, runningPid, startDetached, stopProcess, type ManagedProcess } from './processes.ts';
import { stackPaths, type StackSettings } from './settings.ts';

/** One of the project's own long-running processes, started beside the stack by `npm start`. */
export interface AppDef {
  name: AppName;
  summary: string;
  /** The process: a TypeScript entry point run with tsx, or a command line of its own. */
  entry: string;
  command?: (root: string, env: NodeJS.ProcessEnv) => { command: string; args: string[] };
  /** Node flags before the entry point (only for an entry run with tsx). */
  nodeArgs?: string[];
  /** Variables it needs beyond the shared environment. */
  extraEnv?: (env: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
  /** Only started when this holds (e.g. the storefront once it is built). */
  ready?: (root: string) => { ok: boolean; why?: string };
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
    name: 'scoring',
    summary: 'scoring consumer: re-scores changed shoppers, runs sweeps (recommendations.v1)',
    entry: 'consumers/scoring/main.ts',
    healthPath: '/healthz',
  },
  {
    name: 'scheduler',
    summary: 'publishes the daily sweep and retrain commands to control.jobs.v1',
    entry: 'consumers/scheduler/main.ts',
    healthPath: '/healthz',
  },
  {
    name: 'materializer',
    summary: 'recommendations.v1 into the recommendation_current table',
    entry: 'consumers/materializer/main.ts',
    healthPath: '/healthz',
  },
  {
    name: 'trainer',
    summary: 'retraining with a champion/challenger gate (control.jobs.v1 requests, order volume)',
    entry: 'consumers/trainer/main.ts',
    healthPath: '/healthz',
  },
  {
    name: 'api',
    summary: 'HTTP API for the storefront and operators (Hono)',
    entry: 'api/main.ts',
    // A request's garbage (headers, Response, buffers) dies young; V8's default young generation fills
    // every few ms at thousands of requests/s, and each scavenge holds up every open request. Larger
    // semi-spaces scavenge less often for the same work: `npm run bench -- api`, same machine,
    // p99 8.3 → 4.4 ms and 0.71× → 0.79× bare.
    nodeArgs: ['--max-semi-space-size=64'],
    healthPath: '/healthz',
  },
  {
    name: 'web',
    summary: 'the storefront, built by Vite and served by its preview server',
    entry: 'web/node_modules/vite/bin/vite.js',
    command: (root, env) => ({
      command: process.execPath,
      args: [
        join(root, 'web/node_modules/vite/bin/vite.js'),
        'preview',
        join(root, 'web'),
        '--host',
        '127.0.0.1',
      ].concat(['--port', String(appPort('web', env)), '--strictPort']),
    }),
    extraEnv: (env) => ({ API_PROXY_TARGET: `http://127.0.0.1:${appPort('api', env)}` }),
    ready: (root) =>
      existsSync(join(root, 'web/dist/index.html'))
        ? { ok: true }
        : { ok: false, why: 'web/dist is missing: npm run web -- build' },
    healthPath: '/',
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

/** The app under its supervisor (stack/supervise.ts), which restarts it when it dies and counts restarts. */
const supervised = (s: StackSettings, app: AppName, cmd: { command: string; args: string[] }) => ({
  command: process.execPath,
  args: ['--import', 'tsx', join(s.root, 'stack/supervise.ts'), app, stackPaths(s).run, '--', cmd.command, ...cmd.args],
});

/** Restarts of the app since it was started, as its supervisor recorded them. */
export const appRestarts = (s: StackSettings, app: AppName) => readRestarts(restartFile(stackPaths(s).run, app));

/** Starts the app detached (it outlives the CLI) with the env it parses its own config from. */
export async function startApp(s: StackSettings, app: AppName, env: NodeJS.ProcessEnv): Promise<number> {
  const proc = appProcess(s, app);
  const running = runningPid(proc);
  if (running) return running;
  const def = appDef(app);
  const ready = def.ready?.(s.root);
  if (ready && !ready.ok) throw new AppError(`cannot start ${app}: ${ready.why}`);
  const cmd = def.command?.(s.root, env) ?? {
    command: process.execPath,
    args: [...(def.nodeArgs ?? []), '--import', 'tsx', join(s.root, def.entry)],
  };
  const counter = restartFile(proc.runDir, app);
  rmSync(counter, { force: true });
  const pid = startDetached(proc, {
    ...supervised(s, app, cmd),
    env: { ...process.env, ...env, ...def.extraEnv?.(env) },
    cwd: s.root,
  });
  await waitFor(
    async () => {
      if (!runningPid(proc)) throw new Error(`${app} exited during start (log: ${logFile(proc)})`);
      if ((readRestarts(counter)?.restarts ?? 0) > 0) {
        await stopApp(s, app);
        throw new AppError(`${app} exited during start (log: ${logFile(proc)})`);
      }
      return appHealthy(app, env);
    },
    { timeoutMs: 90_000, intervalMs: 200, what: `${app} to answer ${appUrl(app, env)} (log: ${logFile(proc)})` },
  );
  return pid;
}

export const stopApp = (s: StackSettings, app: AppName) => stopProcess(appProcess(s, app), 15_000);

/** Starts every app in table order (or the named ones), skipping none silently: a failure stops the rest. */
export async function startApps(
  s: StackSettings,
  env: NodeJS.ProcessEnv,
  names: AppName[] = APPS.map((a) => a.name),
  onStarted?: (app: AppName, pid: number) => void,
): Promise<void> {
  for (const name of names) onStarted?.(name, await startApp(s, name, env));
}
