import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../core/logger.ts';
import type { SettleScope } from './pending.ts';
import { createSettler } from './settler.ts';

const gate = () => {
  let open: () => void = () => {};
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
};

describe('createSettler', () => {
  it('settles a kick at once, and merges the kicks that arrive during a run into one scoped run per kind', async () => {
    const runs: SettleScope[] = [];
    const first = gate();
    const settler = createSettler({
      logger: silentLogger,
      settle: async (scope) => {
        runs.push(scope);
        if (runs.length === 1) await first.opened;
      },
    });
    settler.kick('order', [1]);
    settler.kick('order', [2, 3]);
    settler.kick('user', [7]);
    settler.kick('order', [3, 4]);
    first.open();
    await vi.waitFor(() => expect(runs).toHaveLength(3));
    expect(runs).toEqual([
      { kind: 'order', ids: [1] },
      { kind: 'order', ids: [2, 3, 4] },
      { kind: 'user', ids: [7] },
    ]);
    await settler.run();
    expect(runs.at(-1)).toBe('all');
  });

  it('a full run replaces the scoped ones still waiting, and reports its own failure', async () => {
    const runs: SettleScope[] = [];
    const settler = createSettler({
      logger: silentLogger,
      settle: async (scope) => {
        runs.push(scope);
        if (scope === 'all') throw new Error('store down');
      },
    });
    settler.kick('product', [5]);
    await expect(settler.run()).rejects.toThrow('store down');
    expect(runs.at(-1)).toBe('all');
    expect(runs.filter((r) => r === 'all')).toHaveLength(1);
  });

  it('ignores empty kicks and kicks after stop', async () => {
    const runs: SettleScope[] = [];
    const settler = createSettler({ logger: silentLogger, settle: async (s) => void runs.push(s) });
    settler.kick('order', []);
    await settler.stop();
    settler.kick('order', [1]);
    expect(runs).toEqual([]);
  });
});
