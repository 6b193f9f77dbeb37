import { spawn } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A measurement that runs in a process of its own (one tfjs engine, one peak-RSS reading per run):
 * `node --import tsx FILE '{...}'` parses the JSON argument, runs `measure` and prints its result
 * as one JSON line, or the stack on stderr with exit 1. Does nothing when the module is imported.
 */
export function runAsJsonChild<O, R>(moduleUrl: string, measure: (o: O) => Promise<R>): void {
  const entry = process.argv[1];
  if (!entry || resolvePath(entry) !== fileURLToPath(moduleUrl)) return;
  measure(JSON.parse(process.argv[2]!) as O)
    .then((r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      process.exit(0);
    })
    .catch((err) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
}

export type JsonChildOutcome<R> = { ok: true; value: R } | { ok: false; code: number | null; stderr: string };

/** Runs `file` (relative to `root`) as a JSON child with this input; its last stdout line is the result. */
export function spawnJsonChild<R>(root: string, file: string, input: unknown): Promise<JsonChildOutcome<R>> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolvePath(root, file), JSON.stringify(input)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').at(-1);
      done(code === 0 && line ? { ok: true, value: JSON.parse(line) as R } : { ok: false, code, stderr });
    });
  });
}
