import type { SourcePosition } from '../../streams/cdc/envelope.ts';
import { positionKey } from './position.ts';

/**
 * Binlog positions in three numbers each (file, byte position, row) instead of one positionKey
 * string per row: a replayed topic written by streaming (not a snapshot) has a distinct position
 * for every event. `file` indexes the positionKey prefix (epoch and file sequence), of which a
 * topic has a handful. Comparisons and the string written to src_pos are positionKey's.
 */
export class Positions {
  private readonly prefixes: string[] = [];
  private readonly prefixIndex = new Map<string, number>();
  private last: { file: string; pos: number; row: number; prefix: number } | null = null;
  private lastKey: { file: number; pos: number; row: number; key: string } | null = null;

  /** The file index of a source position (checked by positionKey, as the live path does). */
  fileOf(src: Pick<SourcePosition, 'file' | 'pos' | 'row'>): number {
    const l = this.last;
    if (l && l.file === src.file && l.pos === src.pos && l.row === src.row) return l.prefix;
    const prefix = positionKey(src).slice(0, 17);
    let i = this.prefixIndex.get(prefix);
    if (i === undefined) {
      i = this.prefixes.length;
      this.prefixes.push(prefix);
      this.prefixIndex.set(prefix, i);
    }
    this.last = { file: src.file, pos: src.pos, row: src.row, prefix: i };
    return i;
  }

  /** <0, 0, >0 as position a sorts before, with, after b: positionKey order. */
  compare(fa: number, pa: number, ra: number, fb: number, pb: number, rb: number): number {
    if (fa !== fb) return this.prefixes[fa]! < this.prefixes[fb]! ? -1 : 1;
    return pa - pb || ra - rb;
  }

  /** The positionKey string (the last one is cached: a snapshot gives every row the same). */
  key(file: number, pos: number, row: number): string {
    const l = this.lastKey;
    if (l && l.file === file && l.pos === pos && l.row === row) return l.key;
    const key = `${this.prefixes[file]}:${String(pos).padStart(12, '0')}:${String(row).padStart(8, '0')}`;
    this.lastKey = { file, pos, row, key };
    return key;
  }
}
