import type { Message } from 'kafkajs';
import type { Logger } from '../../core/logger.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import { DRAIN_LIMIT, drainOutbox } from './outbox.ts';

export interface OutboxPublisher {
  /** Drain now (coalesced: a kick during a drain runs one more drain after it). */
  kick(): void;
  /** Waits for the drain in progress; nothing starts after this. */
  stop(): Promise<void>;
}

/** Drains the outbox after each committed chunk and on the sweep's timer, one drain at a time. */
export function createOutboxPublisher(deps: {
  pool: Pool;
  send: (msgs: Message[]) => Promise<void>;
  logger: Logger;
}): OutboxPublisher {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const drainAll = async () => {
    do {
      again = false;
      try {
        // A drain below the limit emptied the outbox: rows queued after it come with a kick.
        while (!stopped && (await drainOutbox(deps.pool, deps.send)) === DRAIN_LIMIT);
      } catch (err) {
        // The rows stay queued: the next kick or tick publishes them, in order.
        deps.logger.warn('publishing features failed; will retry', { error: err as Error });
      }
    } while (again && !stopped);
  };
  return {
    kick() {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      running = drainAll().finally(() => (running = undefined));
    },
    async stop() {
      stopped = true;
      await running;
    },
  };
}
