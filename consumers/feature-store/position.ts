import type { SourcePosition } from '../../streams/cdc/envelope.ts';
import { ValidationError } from '../../core/errors.ts';

/**
 * The source epoch of a binlog file: the generation in its base name (`mariadb-bin-g3.000001`
 * is epoch 3; a name without `-gN` is epoch 0). Binlog positions are comparable only within one
 * epoch: a restore, a `RESET MASTER` or a failover starts a new binlog whose positions restart
 * low, so whoever does one starts a new generation (the stack's `new-epoch` verb), and every
 * event of it, snapshot reads included (they carry the file too), sorts after the old epoch.
 */
export function sourceEpoch(file: string): number {
  const m = /-g(\d{1,6})\.\d+$/.exec(file);
  return m ? Number(m[1]) : 0;
}

/**
 * A binlog position as a fixed-width string that sorts like the source: epoch, file sequence,
 * byte position, row within the event. Snapshot reads share one position, so guards compare with >=.
 */
export function positionKey(s: Pick<SourcePosition, 'file' | 'pos' | 'row'>): string {
  const m = /\.(\d+)$/.exec(s.file);
  if (!m)
    throw new ValidationError(`binlog file name without a sequence number: ${s.file}`, { path: 'value.source.file' });
  const seq = Number(m[1]);
  if (s.pos < 0 || s.row < 0 || seq > 9_999_999_999 || s.pos > 999_999_999_999 || s.row > 99_999_999) {
    throw new ValidationError(`binlog position out of range: ${s.file}:${s.pos}:${s.row}`, { path: 'value.source' });
  }
  const epoch = String(sourceEpoch(s.file)).padStart(6, '0');
  return `${epoch}:${String(seq).padStart(10, '0')}:${String(s.pos).padStart(12, '0')}:${String(s.row).padStart(8, '0')}`;
}

/** The epoch part of a positionKey. */
export const epochOfKey = (key: string): number => Number(key.slice(0, 6));
