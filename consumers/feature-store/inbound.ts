import type { ChangeEvent } from '../../streams/cdc/envelope.ts';

/** A message as read from Kafka, kept whole so a DLQ record can carry the original bytes. */
export interface InboundMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** A decoded event and the message it came from. */
export interface Decoded<Row> {
  msg: InboundMessage;
  event: ChangeEvent<Row>;
}

/** A reference from an event to a row that has not been applied (yet). */
export interface PendingRef {
  kind: 'user' | 'order' | 'product';
  id: number;
  msg: InboundMessage;
}

/** What applying a set of events changed, for recompute, publishing and pending bookkeeping. */
export interface ApplyEffects {
  /** False in replays that recompute everyone at the end: then who was touched and what is missing need no lookups. */
  track: boolean;
  touchedUsers: Set<number>;
  deletedUsers: Set<number>;
  pending: PendingRef[];
}

export const emptyEffects = (track = true): ApplyEffects => ({
  track,
  touchedUsers: new Set(),
  deletedUsers: new Set(),
  pending: [],
});

export function headersToStrings(h: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) {
    if (v === undefined || v === null) continue;
    out[k] = Buffer.isBuffer(v) ? v.toString('utf8') : Array.isArray(v) ? v.map(String).join(',') : String(v);
  }
  return out;
}
