import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a supervisor records about its app, for `stack status`. */
export interface RestartRecord {
  restarts: number;
  lastExit?: { code: number | null; signal: string | null; at: string };
}

export const restartFile = (runDir: string, name: string) => join(runDir, `${name}.restarts.json`);

/** Written whole through a rename, so a reader never sees half a record. */
export function writeRestarts(file: string, r: RestartRecord): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(r));
  renameSync(`${file}.tmp`, file);
}

export function readRestarts(file: string): RestartRecord | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RestartRecord;
  } catch {
    return undefined;
  }
}

export function describeRestarts(r: RestartRecord | undefined): string {
  if (!r || r.restarts === 0) return 'restarts 0';
  const how = r.lastExit?.signal ? `signal ${r.lastExit.signal}` : `code ${r.lastExit?.code}`;
  return `restarts ${r.restarts} (last exit ${how} at ${r.lastExit?.at})`;
}
