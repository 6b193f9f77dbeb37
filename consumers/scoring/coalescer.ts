export interface CoalescerDeps<V> {
  /** How long the first change waits for others to join its batch. */
  windowMs: number;
  /** A batch flushes at once when it holds this many keys. */
  maxKeys: number;
  /** Scores and publishes one batch; resolves once it is acknowledged. */
  flush(batch: Map<number, V>): Promise<void>;
}

export interface Coalescer<V> {
  /** Adds changes (a later value replaces an earlier one for the same key); resolves when they are published. */
  submit(changes: Map<number, V>): Promise<void>;
  /** Keys waiting now (metrics). */
  pending(): number;
}

/**
 * Batches changes across shoppers and de-duplicates per shopper within a short window: a burst
 * of orders from one shopper becomes one recommendation, and a single order waits at most
 * `windowMs`. Flushes run one at a time, so a shopper's newer state is never published before an
 * older one; changes arriving during a flush form the next batch.
 */
export function createCoalescer<V>(deps: CoalescerDeps<V>): Coalescer<V> {
  let open = new Map<number, V>();
  let waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const cut = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = open;
    const mine = waiters;
    open = new Map();
    waiters = [];
    running = running.then(() =>
      deps.flush(batch).then(
        () => mine.forEach((w) => w.resolve()),
        (err) => mine.forEach((w) => w.reject(err)),
      ),
    );
  };
  return {
    submit(changes) {
      if (changes.size === 0) return Promise.resolve();
      for (const [k, v] of changes) {
        open.delete(k);
        open.set(k, v);
      }
      const done = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
      if (open.size >= deps.maxKeys) cut();
      else timer ??= setTimeout(cut, deps.windowMs);
      return done;
    },
    pending: () => open.size,
  };
}
