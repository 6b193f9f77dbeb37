import { mkdtempSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureEnvFile, loadEnvFile, parseEnvFile } from './env-file.ts';

describe('env file', () => {
  it('parses KEY=value lines, quotes and ${references}', () => {
    expect(parseEnvFile('# c\nA=1\nB="two words"\nC=${A}-${B}\nD=${HOME_X}\n', { HOME_X: 'h' })).toEqual({
      A: '1',
      B: 'two words',
      C: '1-two words',
      D: 'h',
    });
  });

  it('drops trailing comments and `export`, as shells and dotenv do', () => {
    expect(parseEnvFile('A=1 # note\nexport B=2\n  # indented comment\nC=x\r\n')).toEqual({ A: '1', B: '2', C: 'x' });
  });

  it('keeps quoted text as written: # inside quotes, spaces, and \\n only in double quotes', () => {
    const text = `A="1 # not a comment"\nB=' two '\nC="x\\ny"\nD='x\\ny'\n`;
    expect(parseEnvFile(text)).toEqual({ A: '1 # not a comment', B: ' two ', C: 'x\ny', D: 'x\\ny' });
  });

  it('reads a multi-line double-quoted value and expands references in it', () => {
    const text = 'USER=app\nKEY="-----BEGIN-----\n${USER}\n-----END-----"\nNEXT=1\n';
    expect(parseEnvFile(text)).toEqual({ USER: 'app', KEY: '-----BEGIN-----\napp\n-----END-----', NEXT: '1' });
  });

  it('resolves references by name and refuses a cycle', () => {
    expect(parseEnvFile('Z=${A}/z\nA=a\n')).toEqual({ Z: 'a/z', A: 'a' });
    expect(() => parseEnvFile('A=${B}\nB=${A}\n')).toThrow(/refers to itself/);
  });

  it('creates .env once with fresh secrets and expanded references, never overwriting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'env-'));
    const example = join(dir, '.env.example');
    const env = join(dir, '.env');
    writeFileSync(example, 'USER=app\nPW=__generate__\nURL=mysql://${USER}:${PW}@h/db\n');
    expect(ensureEnvFile(example, env)).toBe(true);
    const vars = parseEnvFile(readFileSync(env, 'utf8'));
    expect(vars.PW).toMatch(/^[\w-]{20,}$/);
    expect(vars.URL).toBe(`mysql://app:${vars.PW}@h/db`);
    expect(statSync(env).mode & 0o777).toBe(0o600);
    const before = readFileSync(env, 'utf8');
    expect(ensureEnvFile(example, env)).toBe(false);
    expect(readFileSync(env, 'utf8')).toBe(before);
  });

  it('lets variables already in the environment win over .env', () => {
    const dir = mkdtempSync(join(tmpdir(), 'env-'));
    writeFileSync(join(dir, '.env'), 'A=file\nB=file\n');
    expect(loadEnvFile(join(dir, '.env'), { A: 'process' })).toMatchObject({ A: 'process', B: 'file' });
  });
});
