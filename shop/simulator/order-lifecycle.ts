import { classify } from '../../core/errors.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import type { Rng } from '../rng.ts';

/**
 * What happens to an order after it is placed, as UPDATEs of orders.status (what CDC shows a
 * shop doing): after `payDelayMs` it is paid, or cancelled with probability `cancelRate`; a
 * paid order is refunded after `refundDelayMs` with probability `refundRate`.
 */
export interface LifecycleOptions {
  cancelRate: number;
  refundRate: number;
  payDelayMs: number;
  refundDelayMs: number;
}

export interface LifecycleCounts {
  paid: number;
  cancelled: number;
  refunded: number;
}

export interface OrderLifecycle {
  placed(ids: number[], at: number): void;
  /** Applies every transition due at `now`; resolves when the UPDATEs are done. */
  advance(now: number): Promise<void>;
  /** Orders still waiting for a transition. */
  readonly pending: number;
  readonly counts: LifecycleCounts;
}

interface Due {
  id: number;
  at: number;
}

/** FIFO of (id, due time): entries are appended in time order, so the due ones are a prefix. */
class DueQueue {
  private items: Due[] = [];
  private head = 0;
  push(d: Due) {
    this.items.push(d);
  }
  get size() {
    return this.items.length - this.head;
  }
  takeDue(now: number, max: number): number[] {
    const out: number[] = [];
    while (this.head < this.items.length && this.items[this.head]!.at <= now && out.length < max)
      out.push(this.items[this.head++]!.id);
    if (this.head > 65536) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return out;
  }
}

const MAX_PER_UPDATE = 5000;

export function createOrderLifecycle(deps: { pool: Pool; rng: Rng; options: LifecycleOptions }): OrderLifecycle {
  const { pool, rng, options } = deps;
  const toSettle = new DueQueue();
  const toRefund = new DueQueue();
  const counts: LifecycleCounts = { paid: 0, cancelled: 0, refunded: 0 };
  const setStatus = async (status: string, ids: number[]) => {
    if (ids.length === 0) return;
    try {
      await pool.query(
        `UPDATE orders SET status = '${status}', updated_at = CURRENT_TIMESTAMP(3) WHERE id IN (${ids.join(',')})`,
      );
    } catch (cause) {
      throw classify(cause, `set ${ids.length} orders ${status}`);
    }
  };
  return {
    placed(ids, at) {
      for (const id of ids) toSettle.push({ id, at: at + options.payDelayMs });
    },
    async advance(now) {
      const settle = toSettle.takeDue(now, MAX_PER_UPDATE);
      const paid: number[] = [];
      const cancelled: number[] = [];
      for (const id of settle) (rng.next() < options.cancelRate ? cancelled : paid).push(id);
      for (const id of paid)
        if (rng.next() < options.refundRate) toRefund.push({ id, at: now + options.refundDelayMs });
      await Promise.all([setStatus('paid', paid), setStatus('cancelled', cancelled)]);
      // After the paid UPDATE: with refundDelayMs 0 an order is paid and refunded in one step.
      const refunded = toRefund.takeDue(now, MAX_PER_UPDATE);
      await setStatus('refunded', refunded);
      counts.paid += paid.length;
      counts.cancelled += cancelled.length;
      counts.refunded += refunded.length;
    },
    get pending() {
      return toSettle.size + toRefund.size;
    },
    counts,
  };
}
