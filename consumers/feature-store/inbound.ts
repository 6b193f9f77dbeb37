import type { ChangeEvent } from '../../streams/cdc/envelope.ts';
import type { InboundMessage } from '../shared/inbound-message.ts';

export { headersToStrings, type InboundMessage } from '../shared/inbound-message.ts';

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
