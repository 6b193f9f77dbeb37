import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OPS_TOKEN } from './testing/fake-deps.ts';
import { serveFakeApp } from './testing/serve-fake.ts';

const run = promisify(execFile);

/** schemathesis comes from PyPI (`pip install schemathesis`); without it this file says so and skips. */
async function schemathesis(): Promise<string | null> {
  for (const bin of ['schemathesis', 'st']) {
    try {
      await run(bin, ['--version']);
      return bin;
    } catch {
      // not this one
    }
  }
  return null;
}

const bin = await schemathesis();
if (!bin) process.stderr.write('openapi fuzz skipped: schemathesis is not installed (pip install schemathesis)\n');

describe('property-based fuzzing from /openapi.json (schemathesis)', () => {
  it.skipIf(!bin)(
    'finds no 5xx and no response off its documented schema, status or content type',
    async () => {
      const server = await serveFakeApp();
      // schemathesis keeps a cache in its working directory: a temporary one, not the checkout.
      const dir = mkdtempSync(join(tmpdir(), 'fuzz-'));
      try {
        const args = [
          'run',
          `${server.url}/openapi.json`,
          '--checks',
          'all',
          // Hono answers 404 to a method no route has; 405 would need a second routing pass.
          '--exclude-checks',
          'unsupported_method',
          // An event stream never ends: its handshake is covered by the stream's own tests.
          '--exclude-path',
          '/recommendations/stream',
          '--header',
          `Authorization: Bearer ${OPS_TOKEN}`,
          '--max-examples',
          process.env.FUZZ_EXAMPLES ?? '25',
          '--request-timeout',
          '5',
          '--seed',
          process.env.FUZZ_SEED ?? '1',
          '--report-junit-path',
          join(dir, 'junit.xml'),
        ];
        const out = await run(bin!, args, {
          cwd: dir,
          maxBuffer: 64 * 1024 * 1024,
          env: { ...process.env, NO_COLOR: '1' },
        }).then(
          (r) => ({ ok: true, text: r.stdout }),
          (e: { stdout?: string; stderr?: string }) => ({ ok: false, text: `${e.stdout ?? ''}\n${e.stderr ?? ''}` }),
        );
        if (!out.ok) process.stderr.write(out.text.slice(-8000));
        process.stderr.write(`schemathesis: ${/\d+ generated[^\n]*/.exec(out.text)?.[0] ?? 'no summary'}\n`);
        const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
        expect(Number(/tests="(\d+)"/.exec(junit)?.[1] ?? 0)).toBeGreaterThan(10);
        expect(out.ok).toBe(true);
      } finally {
        await server.close();
      }
    },
    240_000,
  );
});
