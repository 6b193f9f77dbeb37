import { spawn } from 'node:child_process';
import { restartFile } from './restart-counter.ts';
import { supervise } from './supervisor.ts';

/**
 * The process the stack starts for each app: `supervise.ts NAME RUN_DIR -- COMMAND ARGS...`.
 * It runs the app with its own stdio (the app's log), restarts it when it dies, records the
 * restarts in RUN_DIR, and on SIGTERM/SIGINT stops the app and exits.
 */
const [name, runDir, sep, command, ...args] = process.argv.slice(2);
if (!name || !runDir || sep !== '--' || !command) {
  process.stderr.write('usage: supervise.ts NAME RUN_DIR -- COMMAND [ARGS...]\n');
  process.exit(2);
}
const log = (msg: string) =>
  process.stderr.write(
    `${JSON.stringify({ level: 'warn', time: Date.now(), component: 'supervisor', app: name, msg })}\n`,
  );
const sup = supervise({
  counterFile: restartFile(runDir, name),
  log,
  spawnChild: () => spawn(command, args, { stdio: 'inherit' }),
});
for (const sig of ['SIGTERM', 'SIGINT'] as const)
  process.once(sig, () => void sup.stop(sig).then(() => process.exit(0)));
void sup.done.then(() => process.exit(0));
