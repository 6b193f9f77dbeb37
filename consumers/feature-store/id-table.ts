/**
 * Rows of numbers keyed by a positive integer id, held in typed-array columns: a fresh replay
 * holds every order line of the shop at once, and a JS object per line costs ~3x the bytes, keeps
 * the garbage collector busy, and a Map stops at 2^24 entries. Columns hold numbers only; callers
 * encode strings and enums as small integers, null as NaN.
 */
export type ColumnKind = 'f64' | 'i32' | 'u8';
type ArrayOf = Float64Array | Int32Array | Uint8Array;
const CTOR = { f64: Float64Array, i32: Int32Array, u8: Uint8Array } as const;

const EMPTY = 0;
/**
 * Linear probing stays short up to about 0.7 full (≈2 probes a hit); at 1M shoppers the buckets
 * were 100 MB of the replay's 1.1 GB at the half-full limit this replaced.
 */
const MAX_LOAD = 0.7;
/** Rows grow by half: doubling left up to half of every column empty at the end of a replay. */
const GROWTH = 1.5;

export class IdTable<C extends string> {
  /** Row count; rows are 0..size-1 in the order their ids were first added. */
  size = 0;
  ids: Float64Array;
  readonly cols: Record<C, ArrayOf>;
  private keys: Float64Array;
  private rows: Int32Array;
  private mask: number;

  constructor(
    private readonly kinds: Record<C, ColumnKind>,
    capacity = 1024,
  ) {
    this.ids = new Float64Array(capacity);
    this.cols = Object.fromEntries(
      Object.entries<ColumnKind>(kinds).map(([k, kind]) => [k, new CTOR[kind](capacity)]),
    ) as Record<C, ArrayOf>;
    let buckets = 1024;
    while (capacity > buckets * MAX_LOAD) buckets *= 2;
    this.keys = new Float64Array(buckets);
    this.rows = new Int32Array(buckets);
    this.mask = buckets - 1;
  }

  private bucket(id: number): number {
    // Ids are integers up to 2^53: mix both halves, then probe linearly.
    const h = Math.imul(id | 0, 0x9e3779b1) ^ Math.imul((id / 4294967296) | 0, 0x85ebca6b);
    let b = (h ^ (h >>> 15)) & this.mask;
    while (this.keys[b] !== EMPTY && this.keys[b] !== id) b = (b + 1) & this.mask;
    return b;
  }

  /** The row of `id`, or -1. */
  row(id: number): number {
    const b = this.bucket(id);
    return this.keys[b] === id ? this.rows[b]! : -1;
  }

  /** The row of `id`, added (all columns 0) if it was not there; `added` says which. */
  upsert(id: number): { row: number; added: boolean } {
    if (!(id > 0)) throw new RangeError(`ids are positive integers, got ${id}`);
    let b = this.bucket(id);
    if (this.keys[b] === id) return { row: this.rows[b]!, added: false };
    if (this.size >= this.ids.length) this.growRows();
    if (this.size + 1 > this.keys.length * MAX_LOAD) {
      this.rehash();
      b = this.bucket(id);
    }
    const row = this.size++;
    this.keys[b] = id;
    this.rows[b] = row;
    this.ids[row] = id;
    return { row, added: true };
  }

  /** Rows in ascending id order. */
  rowsById(): Int32Array {
    const order = new Int32Array(this.size).map((_, i) => i);
    return order.sort((a, b) => this.ids[a]! - this.ids[b]!);
  }

  private growRows(): void {
    const n = Math.max(1024, Math.ceil(this.ids.length * GROWTH));
    const ids = new Float64Array(n);
    ids.set(this.ids);
    this.ids = ids;
    for (const [k, kind] of Object.entries<ColumnKind>(this.kinds)) {
      const next = new CTOR[kind](n);
      next.set(this.cols[k as C] as never);
      this.cols[k as C] = next;
    }
  }

  private rehash(): void {
    const n = this.keys.length * 2;
    this.keys = new Float64Array(n);
    this.rows = new Int32Array(n);
    this.mask = n - 1;
    for (let r = 0; r < this.size; r++) {
      const b = this.bucket(this.ids[r]!);
      this.keys[b] = this.ids[r]!;
      this.rows[b] = r;
    }
  }
}
