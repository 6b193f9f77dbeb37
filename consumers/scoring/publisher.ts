import { sendInChunks } from '../shared/send-in-chunks.ts';
import type { Message, Producer } from 'kafkajs';
import type { Recommendation } from '../../streams/recommendations/recommendation.ts';

/** The message of a recommendation (key: user id) or, with null, of a deleted shopper's tombstone. */
export function recommendationMessage(userId: number, rec: Recommendation | null): Message {
  if (!rec) return { key: String(userId), value: null };
  return {
    key: String(userId),
    value: JSON.stringify(rec),
    headers: { 'source-ts': rec.sourceTs, 'model-version': rec.modelVersion },
  };
}

/**
 * Remembers the newest source time published per shopper (bounded), so a sweep batch read from
 * the store before a live update does not overwrite that fresher recommendation on the topic.
 */
export interface FreshnessMemo {
  /** A live recommendation of this shopper from this change, produced at `producedAt`, is going out. */
  note(userId: number, sourceTs: string, producedAt: string): void;
  /**
   * Whether a live recommendation from this change or a later one, produced at or after `since`
   * (the sweep's request: one produced before it is what the sweep is asked to redo, with the
   * model of now), is already out (or on its way). Debezium's source times are whole seconds, so
   * the same second counts: the live one was scored from the topic's newest features, the sweep's
   * from a row read earlier or at the same time.
   */
  atLeastAsNew(userId: number, sourceTs: string, since: number): boolean;
}

export function createFreshnessMemo(capacity = 200_000): FreshnessMemo {
  const seen = new Map<number, { t: number; at: number }>();
  return {
    note(userId, sourceTs, producedAt) {
      const t = Date.parse(sourceTs);
      const at = Date.parse(producedAt);
      const had = seen.get(userId);
      if (had && had.t > t) return;
      seen.delete(userId);
      seen.set(userId, { t, at: Math.max(at, had?.t === t ? had.at : -Infinity) });
      if (seen.size > capacity) seen.delete(seen.keys().next().value!);
    },
    atLeastAsNew(userId, sourceTs, since) {
      const had = seen.get(userId);
      return !!had && had.t >= Date.parse(sourceTs) && had.at >= since;
    },
  };
}

/** Publishes with acks from all replicas; resolves only once the broker has them. */
export async function publishRecommendations(
  producer: Producer,
  topic: string,
  items: { userId: number; rec: Recommendation | null }[],
): Promise<void> {
  if (!items.length) return;
  await sendInChunks(
    producer,
    topic,
    items.map((i) => recommendationMessage(i.userId, i.rec)),
  );
}
