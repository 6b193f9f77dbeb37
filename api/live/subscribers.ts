/** Who is listening for which shopper's next recommendation (the open SSE streams). */
export interface Subscribers<T> {
  subscribe(userId: number, listener: (value: T) => void): () => void;
  publish(userId: number, value: T): void;
  count(): number;
}

export function createSubscribers<T>(): Subscribers<T> {
  const byUser = new Map<number, Set<(value: T) => void>>();
  let total = 0;
  return {
    subscribe(userId, listener) {
      const set = byUser.get(userId) ?? new Set();
      set.add(listener);
      byUser.set(userId, set);
      total++;
      return () => {
        if (!set.delete(listener)) return;
        total--;
        if (set.size === 0) byUser.delete(userId);
      };
    },
    publish(userId, value) {
      for (const listener of byUser.get(userId) ?? []) listener(value);
    },
    count: () => total,
  };
}
