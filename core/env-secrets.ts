import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/**
 * A secret added to .env.example after a machine's .env was written (OPS_TOKEN, say) is appended
 * to that .env with a fresh value, so an existing checkout keeps starting. Returns the keys added.
 */
export function addMissingSecrets(examplePath: string, envPath: string): string[] {
  if (!existsSync(examplePath) || !existsSync(envPath)) return [];
  const present = new Set(
    readFileSync(envPath, 'utf8')
      .split(/\r?\n/)
      .map((l) => /^\s*(?:export\s+)?(\w+)\s*=/.exec(l)?.[1])
      .filter(Boolean),
  );
  const missing = readFileSync(examplePath, 'utf8')
    .split(/\r?\n/)
    .map((l) => /^(\w+)=__generate__\s*$/.exec(l)?.[1])
    .filter((k): k is string => k !== undefined && !present.has(k));
  if (!missing.length) return [];
  const text = readFileSync(envPath, 'utf8');
  const lines = missing.map((k) => `${k}=${randomBytes(18).toString('base64url')}`).join('\n');
  appendFileSync(envPath, `${text.endsWith('\n') || text === '' ? '' : '\n'}${lines}\n`);
  return missing;
}
