import { errorKind } from '../../core/error-kind.ts';
import type { Logger } from '../../core/logger.ts';

export interface Recomputer {
  /** Drain the queue now (coalesced: a kick during a drain runs one more drain after it). */
  kick(): void;
  /** Drains what is due now (the sweep's tick, replays, tests); rejects if a drain failed. */
  run(): Promise<void>;
  /** Waits for the drain in progress; nothing starts after this. */
  stop(): Promise<void>;
}

/**
 * Runs the recompute queue's drains one at a time, off the chunks' critical path: a chunk only
 * queues its shoppers, and shoppers queued by several topics, partitions and chunks while a drain
 * runs are recomputed once by the next. So the busier the consumer, the more each recompute is
 * shared. A transient failure leaves the rows queued for the next kick or tick; a fatal one (a
 * dropped table, a revoked grant) is the consumer's to stop on.
 */
export function createRecomputer(deps: {
  /**
   * One drain step in its own transaction: how many shoppers it recomputed, and whether it stopped
   * at its limit (more may be due). Without `more`, the drain ends there: whatever is queued later
   * comes with a kick of its own, so no trailing transaction is spent finding the queue empty.
   */
  drainOnce: () => Promise<{ recomputed: number; more: boolean }>;
  onRecomputed: (users: number) => void;
  onFatal: (err: Error) => void;
  logger: Logger;
  /**
   * How long an idle recomputer waits after a kick before it drains (default 0). An order's row
   * and its lines come on two topics, applied by two chunks that commit a few ms apart: a drain
   * started by the first would recompute, publish and score the shopper twice, once without lines.
   */
  gatherMs?: number;
}): Recomputer {
  let running: Promise<void> | undefined;
  let gathering: NodeJS.Timeout | undefined;
  let again = false;
  let stopped = false;
  let failed: Error | null = null;
  const drainAll = async () => {
    do {
      again = false;
      failed = null;
      try {
        for (let more = true; !stopped && more;) {
          const step = await deps.drainOnce();
          more = step.more;
          if (step.recomputed > 0) deps.onRecomputed(step.recomputed);
        }
      } catch (err) {
        failed = err as Error;
        if (errorKind(err) === 'fatal') deps.onFatal(failed);
        else deps.logger.warn('recomputing queued shoppers failed; will retry', { error: failed });
        return;
      }
    } while (again && !stopped);
  };
  const start = () => {
    clearTimeout(gathering);
    gathering = undefined;
    return (running ??= drainAll().finally(() => (running = undefined)));
  };
  return {
    kick() {
      if (stopped) return;
      if (running) again = true;
      else if (!deps.gatherMs) void start();
      else gathering ??= setTimeout(() => void start(), deps.gatherMs);
    },
    async run() {
      if (running) again = true;
      await start();
      if (running) await running;
      if (failed) throw failed;
    },
    async stop() {
      stopped = true;
      clearTimeout(gathering);
      await running;
    },
  };
}
