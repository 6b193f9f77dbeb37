/** A message of a keyed topic, as far as "the last value per key" needs it (null value: a tombstone). */
export interface KeyedValue<T> {
  key: string;
  partition: number;
  offset: string;
  value: T | null;
}

/** The value a compacted topic keeps per key: the one at the highest offset (a key lives on one partition). */
export function lastPerKey<T>(messages: Iterable<KeyedValue<T>>): Map<string, T | null> {
  const last = new Map<string, { offset: bigint; value: T | null }>();
  for (const m of messages) {
    const offset = BigInt(m.offset);
    const seen = last.get(m.key);
    if (!seen || offset >= seen.offset) last.set(m.key, { offset, value: m.value });
  }
  return new Map([...last].map(([k, v]) => [k, v.value]));
}

/**
 * Keys where the topic's last value and the table disagree: a value the table lacks or holds
 * differently, a tombstone whose row is still there, a row the topic never had.
 */
export function differingKeys<T, R>(
  last: Map<string, T | null>,
  rows: Map<string, R>,
  same: (value: T, row: R) => boolean,
): string[] {
  const out = new Set<string>();
  for (const [key, value] of last) {
    const row = rows.get(key);
    if (value === null ? row !== undefined : row === undefined || !same(value, row)) out.add(key);
  }
  for (const key of rows.keys()) if (!last.has(key)) out.add(key);
  return [...out];
}
