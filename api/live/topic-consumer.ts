import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '../../core/logger.ts';

export interface TopicConsumer {
  /** True between joining and a crash or stop: only then is what it fed trustworthy. */
  live(): boolean;
  /** With `catchUp`: every topic read from the beginning has been read up to where it ended at the start. */
  caughtUp(): boolean;
  stop(): Promise<void>;
}

export interface TopicConsumerDeps {
  kafka: Kafka;
  topics: { topic: string; fromBeginning: boolean }[];
  /** Prefix of the group id; the rest is unique to this process. */
  purpose: string;
  logger: Logger;
  onMessage(topic: string, message: KafkaMessage): void;
  /** Track when the topics read from the beginning have been read up to their end at the start. */
  catchUp?: { admin: Admin };
  /**
   * For a reader nobody waits on (the ops page's tallies): the broker answers a fetch once this
   * many bytes are there or a second has passed, instead of at every new record: a few fetches a
   * second under load rather than one per produced batch, for the broker and for this process.
   */
  fetchMinBytes?: number;
}

/** `topic:partition` → the offset the log ended at when the reader started, for non-empty partitions. */
async function endsAtStart(admin: Admin, topics: TopicConsumerDeps['topics']): Promise<Map<string, bigint>> {
  const ends = new Map<string, bigint>();
  for (const t of topics.filter((x) => x.fromBeginning)) {
    for (const o of await admin.fetchTopicOffsets(t.topic))
      if (BigInt(o.high) > BigInt(o.low)) ends.set(`${t.topic}:${o.partition}`, BigInt(o.high));
  }
  return ends;
}

/**
 * Every API process reads the whole topic itself (a group of its own, never committed), because each
 * one holds its own SSE connections and views: partitions shared with other instances would miss values.
 */
export async function startTopicConsumer(deps: TopicConsumerDeps): Promise<TopicConsumer> {
  const groupId = `${deps.purpose}-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const consumer = deps.kafka.consumer({
    groupId,
    maxWaitTimeInMs: deps.fetchMinBytes ? 1_000 : 500,
    minBytes: deps.fetchMinBytes ?? 1,
    sessionTimeout: 10_000,
  });
  let live = false;
  const ends = deps.catchUp ? await endsAtStart(deps.catchUp.admin, deps.topics) : undefined;
  // Live from the first fetch after joining, not at the join: a group with no committed offsets
  // resolves "latest" only when it first fetches, so a value produced in between was never read.
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  consumer.on(consumer.events.FETCH, () => {
    if (joined) live = true;
  });
  consumer.on(consumer.events.CRASH, (e) => {
    live = false;
    joined = false;
    deps.logger.warn('topic consumer crashed; kafkajs restarts it', { groupId, err: e.payload.error });
  });
  consumer.on(consumer.events.STOP, () => {
    live = false;
    joined = false;
  });
  // Per batch, not per message: a transaction's commit marker can be a partition's last offset.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const key = `${payload.topic}:${payload.partition}`;
    const end = ends?.get(key);
    if (end !== undefined && BigInt(payload.lastOffset) + 1n >= end) ends!.delete(key);
  });
  await consumer.connect();
  for (const t of deps.topics) await consumer.subscribe({ topic: t.topic, fromBeginning: t.fromBeginning });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, message }) => {
      try {
        deps.onMessage(topic, message);
      } catch (err) {
        // One bad value must not stop the feed for everyone else.
        deps.logger.warn('skipped a value the API cannot read', { topic, offset: message.offset, err });
      }
    },
  });
  return {
    live: () => live,
    caughtUp: () => live && ends !== undefined && ends.size === 0,
    async stop() {
      live = false;
      await consumer.disconnect();
    },
  };
}
