import type { SourcePosition } from '../../streams/cdc/envelope.ts';
import { ValidationError } from '../../core/errors.ts';

/**
 * A binlog position as a fixed-width string that sorts like the binlog: file sequence, byte
 * position, row within the event. Snapshot reads share one position, so guards compare with >=.
 */
export function positionKey(s: Pick<SourcePosition, 'file' | 'pos' | 'row'>): string {
  const m = /\.(\d+)$/.exec(s.file);
  if (!m)
    throw new ValidationError(`binlog file name without a sequence number: ${s.file}`, { path: 'value.source.file' });
  const seq = Number(m[1]);
  if (s.pos < 0 || s.row < 0 || seq > 9_999_999_999 || s.pos > 999_999_999_999 || s.row > 99_999_999) {
    throw new ValidationError(`binlog position out of range: ${s.file}:${s.pos}:${s.row}`, { path: 'value.source' });
  }
  return `${String(seq).padStart(10, '0')}:${String(s.pos).padStart(12, '0')}:${String(s.row).padStart(8, '0')}`;
}
