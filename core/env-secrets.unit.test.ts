import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnvFile } from './env-file.ts';
import { addMissingSecrets } from './env-secrets.ts';

describe('addMissingSecrets', () => {
  it('appends a fresh value for each generated key the .env lacks, and leaves the rest alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'env-'));
    const example = join(dir, '.env.example');
    const env = join(dir, '.env');
    writeFileSync(example, 'PW=__generate__\nOPS_TOKEN=__generate__\nPLAIN=x\n');
    writeFileSync(env, 'PW=kept');
    expect(addMissingSecrets(example, env)).toEqual(['OPS_TOKEN']);
    const vars = parseEnvFile(readFileSync(env, 'utf8'));
    expect(vars.PW).toBe('kept');
    expect(vars.OPS_TOKEN).toMatch(/^[\w-]{24}$/);
    expect(vars.PLAIN).toBeUndefined();
    expect(addMissingSecrets(example, env)).toEqual([]);
  });
});
