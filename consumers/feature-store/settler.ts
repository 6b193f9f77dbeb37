import type { Logger } from '../../core/logger.ts';
import type { PendingRef } from './inbound.ts';
import type { SettleScope } from './pending.ts';

export interface Settler {
  /** Settle what waits for these ids soon (coalesced with other kicks into the next run). */
  kick(kind: PendingRef['kind'], ids: number[]): void;
  /** Settles everything now, after the run in progress (the timer sweep, replays); rejects if it failed. */
  run(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Settles arrived references as soon as the chunk that brought them commits, instead of on the
 * next 250 ms tick: an order line that arrived before its order (another topic or partition) is
 * recomputed right after the order's chunk. Only the rows waiting for the chunk's ids are looked
 * at, so this is an index lookup, not a scan of everything pending; the timer's full settle still
 * catches the race where two chunks each missed the other's uncommitted row. Runs never overlap.
 */
export function createSettler(deps: { settle: (scope: SettleScope) => Promise<void>; logger: Logger }): Settler {
  const wanted = new Map<PendingRef['kind'], Set<number>>();
  let full = false;
  let running: Promise<void> | undefined;
  let stopped = false;
  let failed: Error | null = null;
  const once = async (scope: SettleScope) =>
    deps.settle(scope).catch((err: Error) => {
      // The rows stay pending: the next kick or the timer settles them.
      failed = err;
      deps.logger.warn('settling pending references failed', { error: err });
    });
  const loop = async () => {
    while (!stopped && (full || wanted.size)) {
      failed = null;
      if (full) {
        full = false;
        wanted.clear();
        await once('all');
        continue;
      }
      const batch = [...wanted];
      wanted.clear();
      for (const [kind, ids] of batch) await once({ kind, ids: [...ids] });
    }
  };
  const start = () => (running ??= loop().finally(() => (running = undefined)));
  return {
    kick(kind, ids) {
      if (stopped || !ids.length) return;
      const set = wanted.get(kind) ?? new Set<number>();
      for (const id of ids) set.add(id);
      wanted.set(kind, set);
      void start();
    },
    async run() {
      full = true;
      await start();
      if (running) await running;
      if (failed) throw failed;
    },
    async stop() {
      stopped = true;
      await running;
    },
  };
}
