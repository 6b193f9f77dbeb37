import type { StorefrontEvent } from '../api/post-events';

export type EventSender = (events: StorefrontEvent[]) => Promise<unknown>;

export type EventReporter = {
  /** Queues an impression unless this recommendation_id + product was already reported. */
  impression: (event: Omit<StorefrontEvent, 'type'>) => void;
  click: (event: Omit<StorefrontEvent, 'type'>) => void;
  flush: () => void;
  /** Flushes whenever the page is hidden or left; returns the detach function (which flushes too). */
  attach: () => () => void;
};

type ReporterOptions = { send: EventSender; flushMs?: number; maxBatch?: number };

// Keepalive bodies share a 64 KiB budget per page, so batches stay small.
const DEFAULT_MAX_BATCH = 50;

export function createEventReporter({ send, flushMs = 1000, maxBatch = DEFAULT_MAX_BATCH }: ReporterOptions) {
  const seen = new Set<string>();
  let queue: StorefrontEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(maxBatch);
      // Feedback is best effort: a lost batch must never surface as a storefront error.
      send(batch).catch(() => undefined);
    }
  };

  const enqueue = (event: StorefrontEvent) => {
    queue.push(event);
    if (queue.length >= maxBatch) flush();
    else if (timer === null) timer = setTimeout(flush, flushMs);
  };

  const onHidden = () => {
    if (document.visibilityState === 'hidden') flush();
  };

  const reporter: EventReporter = {
    impression: (event) => {
      const key = `${event.recommendation_id ?? '-'}:${event.product_id}`;
      if (seen.has(key)) return;
      seen.add(key);
      enqueue({ type: 'impression', ...event });
    },
    click: (event) => {
      enqueue({ type: 'click', ...event });
      flush();
    },
    flush,
    attach: () => {
      document.addEventListener('visibilitychange', onHidden);
      window.addEventListener('pagehide', flush);
      return () => {
        flush();
        document.removeEventListener('visibilitychange', onHidden);
        window.removeEventListener('pagehide', flush);
      };
    },
  };
  return reporter;
}
