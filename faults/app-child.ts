import type { AppName } from '../core/config/app-ports.ts';
import { waitFor } from '../core/wait-for.ts';
import { appProcess } from '../stack/apps.ts';
import { runningPid } from '../stack/processes.ts';
import { childPids, isAlive } from './process-tree.ts';
import type { SystemUnderTest } from './system.ts';

/** An app's own process (its supervisor's child), not the supervisor. */
export function appChild(sys: SystemUnderTest, app: AppName): number {
  const sup = runningPid(appProcess(sys.stack, app));
  const child = sup === undefined ? undefined : childPids(sup)[0];
  if (child === undefined) throw new Error(`${app} is not running`);
  return child;
}

/** Signals the app's process and waits until it is gone. */
export async function signalApp(sys: SystemUnderTest, app: AppName, signal: NodeJS.Signals): Promise<void> {
  const pid = appChild(sys, app);
  process.kill(pid, signal);
  await waitFor(async () => !isAlive(pid), { timeoutMs: 30_000, intervalMs: 50, what: `${app} pid ${pid} to exit` });
}

/** Until the supervisor has started the app again (after a kill). */
export async function waitRestarted(sys: SystemUnderTest, app: AppName, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    async () => {
      try {
        return isAlive(appChild(sys, app));
      } catch {
        return false;
      }
    },
    { timeoutMs, intervalMs: 100, what: `${app} to be restarted by its supervisor` },
  );
}
