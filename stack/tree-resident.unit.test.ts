import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../core/wait-for.ts';
import { residentMiB, treeResidentMiB } from './processes.ts';

describe('treeResidentMiB', () => {
  it("counts a supervisor's children: an app's memory is not its supervisor's", async () => {
    const hold = 'const a = Buffer.alloc(200 * 2 ** 20, 1); setInterval(() => a[0]++, 1000)';
    const parent = spawn('bash', ['-c', `node -e "${hold}" & wait`], { stdio: 'ignore', detached: true });
    try {
      const tree = await waitFor(
        async () => (treeResidentMiB(parent.pid!) ?? 0) >= 200 && treeResidentMiB(parent.pid!),
        {
          timeoutMs: 15_000,
          intervalMs: 100,
          what: 'the child to hold 200 MiB',
        },
      );
      expect(residentMiB(parent.pid!)).toBeLessThan(50);
      expect(tree).toBeGreaterThanOrEqual(200);
    } finally {
      // The whole group: bash and the node child it started.
      process.kill(-parent.pid!, 'SIGKILL');
    }
  });
});
