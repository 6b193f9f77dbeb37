import type { ChangeEvent } from '../../streams/cdc/envelope.ts';
import type { InboundMessage } from '../shared/inbound-message.ts';

import type { CdcTopics } from '../../streams/cdc/topics.ts';

export { headersToStrings, toInbound, type InboundMessage } from '../shared/inbound-message.ts';

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
  /** Of touchedUsers, those touched only by new orders: their lines are still to come (see fs_recompute's due_at). */
  awaitingLines: Set<number>;
  deletedUsers: Set<number>;
  pending: PendingRef[];
}

export const emptyEffects = (track = true): ApplyEffects => ({
  track,
  touchedUsers: new Set(),
  awaitingLines: new Set(),
  deletedUsers: new Set(),
  pending: [],
});
/** The row id in a Debezium key ({"id": N}); none for a key that is not one. */
export const keyId = (m: InboundMessage): number[] => {
  try {
    const id = (JSON.parse(m.key?.toString() ?? 'null') as { id?: unknown } | null)?.id;
    return typeof id === 'number' ? [id] : [];
  } catch {
    return [];
  }
};

/** The kind of reference a committed chunk of this topic may bring to pending rows. */
export const refKindOf = (topics: CdcTopics, topic: string): PendingRef['kind'] | null =>
  topic === topics.orders.name
    ? 'order'
    : topic === topics.users.name
      ? 'user'
      : topic === topics.products.name
        ? 'product'
        : null;
