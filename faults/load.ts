import type { Logger } from '../core/logger.ts';
import type { Pool } from '../prisma/db/pool.ts';
import { createCategoryMap } from '../features/category-map.ts';
import { createShopDbWriter } from '../shop/db-writer.ts';
import { runSimulator } from '../shop/simulator/simulator.ts';

export interface Load {
  /** Stops placing orders; pending payments, cancellations and refunds are applied first. */
  stop(): Promise<{ placed: number; errors: number; restarts: number }>;
}

/**
 * The shop simulator placing, paying, cancelling and refunding orders until stopped. A database
 * fault makes it give up after a run of failures; it is started again (a new seed, so new
 * baskets), as a shop's front end would keep taking orders once the database answers.
 */
export function startLoad(deps: { pool: Pool; logger: Logger; rate: number; seed: number }): Load {
  const abort = new AbortController();
  const totals = { placed: 0, errors: 0, restarts: 0 };
  const writer = createShopDbWriter({ pool: deps.pool, logger: deps.logger });
  const categoryMap = createCategoryMap();
  const loop = async () => {
    for (let run = 0; !abort.signal.aborted; run++) {
      try {
        const r = await runSimulator(
          { pool: deps.pool, writer, logger: deps.logger, categoryMap, progress: () => {}, signal: abort.signal },
          {
            rate: deps.rate,
            seed: deps.seed + run,
            cancelRate: 0.15,
            refundRate: 0.2,
            payDelayMs: 500,
            refundDelayMs: 1_500,
          },
        );
        totals.placed += r.placed;
        totals.errors += r.errors;
      } catch (err) {
        totals.restarts++;
        deps.logger.warn('simulator stopped; starting it again', { err: err as Error });
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const done = loop();
  return {
    async stop() {
      abort.abort();
      await done;
      return totals;
    },
  };
}
