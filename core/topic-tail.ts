import { FETCH_MAX_WAIT_MS } from './kafka.ts';
import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { classify } from './errors.ts';

export interface TailDeps {
  kafka: Kafka;
  topic: string;
  /** Names the throwaway consumer group (`<prefix>-<uuid>`), so the broker's group list says who read. */
  groupPrefix: string;
  /** From the first retained message (replay a state topic) or only what arrives from now on. */
  fromBeginning: boolean;
  /**
   * Or from these offsets per partition (a partition not named: from now on). `caughtUp` then
   * settles at the ends as they are at the start: a range read of what came after a mark.
   */
  from?: ReadonlyMap<number, bigint>;
  onMessage(message: KafkaMessage, partition: number): Promise<void> | void;
}

export interface Tail {
  /** Settles once every message that was in the topic when the tail started has been handed over. */
  caughtUp: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Reads one topic with a group of its own and no committed offsets: a state topic (compacted
 * control or model events) is replayed from the start on every start, because the fold of the
 * whole log, not a position in it, is the state. `caughtUp` tells when the replay is complete.
 * With `from`, the new group starts at those offsets instead (the freshness bench's stage reader).
 */
export async function tailTopic(deps: TailDeps): Promise<Tail> {
  const groupId = `${deps.groupPrefix}-${randomUUID()}`;
  const admin = deps.kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const offsets = await admin.fetchTopicOffsets(deps.topic);
    const start = (o: { partition: number; low: string; high: string }) =>
      deps.from ? (deps.from.get(o.partition) ?? BigInt(o.high)) : BigInt(deps.fromBeginning ? o.low : o.high);
    ends = new Map(offsets.filter((o) => BigInt(o.high) > start(o)).map((o) => [o.partition, BigInt(o.high)]));
    // Committed for the new group before it joins, so it begins exactly there.
    if (deps.from)
      await admin.setOffsets({
        groupId,
        topic: deps.topic,
        partitions: offsets.map((o) => ({ partition: o.partition, offset: start(o).toString() })),
      });
  } catch (err) {
    throw classify(err, `reading the end offsets of ${deps.topic}`);
  } finally {
    await admin.disconnect();
  }
  let markCaughtUp!: () => void;
  const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));
  if (ends.size === 0) markCaughtUp();
  const consumer = deps.kafka.consumer({ groupId, maxWaitTimeInMs: FETCH_MAX_WAIT_MS });
  const reached = (partition: number, offset: bigint) => {
    const end = ends.get(partition);
    if (end === undefined || offset + 1n < end) return;
    ends.delete(partition);
    if (ends.size === 0) markCaughtUp();
  };
  // Also per batch: a transaction's commit marker can be a partition's last offset, and no
  // message is ever handed over for it (a control topic the sweep writes transactionally).
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.topic === deps.topic) reached(payload.partition, BigInt(payload.lastOffset));
  });
  await consumer.connect();
  await consumer.subscribe({ topic: deps.topic, fromBeginning: deps.fromBeginning });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      await deps.onMessage(message, partition);
      reached(partition, BigInt(message.offset));
    },
  });
  return { caughtUp, stop: () => consumer.disconnect() };
}
