/** A small least-recently-used map: a Map keeps insertion order, so the first key is the oldest. */
export interface Lru<K, V> {
  get(key: K): V | undefined;
  /** Reads without making the entry recent (for updates that should not keep an entry alive). */
  peek(key: K): V | undefined;
  set(key: K, value: V): void;
  delete(key: K): void;
  readonly size: number;
}

export function createLru<K, V>(capacity: number): Lru<K, V> {
  const map = new Map<K, V>();
  return {
    get(key) {
      const v = map.get(key);
      if (v === undefined) return undefined;
      map.delete(key);
      map.set(key, v);
      return v;
    },
    peek: (key) => map.get(key),
    set(key, value) {
      map.delete(key);
      map.set(key, value);
      if (map.size > capacity) map.delete(map.keys().next().value as K);
    },
    delete: (key) => void map.delete(key),
    get size() {
      return map.size;
    },
  };
}
