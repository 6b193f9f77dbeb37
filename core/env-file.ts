import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Parses `KEY=value` lines; `${NAME}` refers to an earlier key or the process env. */
export function parseEnvFile(text: string, outer: NodeJS.ProcessEnv = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    out[key] = value.replace(/\$\{(\w+)\}/g, (_, name: string) => out[name] ?? outer[name] ?? '');
  }
  return out;
}

/** Loads `.env` under the process env: variables already set win, as with docker and CI. */
export function loadEnvFile(path: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (!existsSync(path)) return env;
  const merged = { ...env };
  for (const [k, v] of Object.entries(parseEnvFile(readFileSync(path, 'utf8'), env))) {
    if (merged[k] === undefined) merged[k] = v;
  }
  return merged;
}

/**
 * Writes `.env` from `.env.example` once, replacing each `__generate__` with a random secret
 * and expanding `${...}` so the file is self-contained. Returns false when `.env` already exists.
 */
export function ensureEnvFile(examplePath: string, envPath: string): boolean {
  if (existsSync(envPath)) return false;
  const secrets: Record<string, string> = {};
  const lines = readFileSync(examplePath, 'utf8')
    .split('\n')
    .map((line) => {
      const m = /^(\w+)=__generate__\s*$/.exec(line);
      if (!m) return line;
      secrets[m[1]!] = randomBytes(18).toString('base64url');
      return `${m[1]}=${secrets[m[1]!]}`;
    });
  const expanded = expandReferences(lines);
  writeFileSync(envPath, expanded.join('\n'), { mode: 0o600 });
  return true;
}

function expandReferences(lines: string[]): string[] {
  const seen: Record<string, string> = {};
  return lines.map((line) => {
    const m = /^(\w+)=(.*)$/.exec(line);
    if (!m) return line;
    const value = m[2]!.replace(/\$\{(\w+)\}/g, (_, name: string) => seen[name] ?? '');
    seen[m[1]!] = value;
    return `${m[1]}=${value}`;
  });
}
