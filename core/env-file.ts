import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { ValidationError } from './errors.ts';

const REFERENCE = /\$\{(\w+)\}/g;

/**
 * Node's own dotenv parser (comments, `export`, quotes, multi-line values); `${NAME}`, which it
 * leaves alone, refers to another key of the file or else the process env.
 */
export function parseEnvFile(text: string, outer: NodeJS.ProcessEnv = {}): Record<string, string> {
  // Node 20's parser reads an indented comment as the start of a key and joins the next line to it.
  const parsed = parseEnv(text.replace(/^[ \t]+#/gm, '#'));
  const out: Record<string, string> = {};
  // parseEnv does not keep the file's order, so references resolve by name, not by position.
  const resolve = (key: string, path: string[]): string => {
    if (out[key] !== undefined) return out[key];
    if (path.includes(key)) throw new ValidationError(`.env: ${[...path, key].join(' -> ')} refers to itself`);
    const expanded = (parsed[key] ?? '').replace(REFERENCE, (_, name: string) =>
      parsed[name] !== undefined ? resolve(name, [...path, key]) : (outer[name] ?? ''),
    );
    return (out[key] = expanded);
  };
  for (const key of Object.keys(parsed)) resolve(key, []);
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
