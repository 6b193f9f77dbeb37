import { createKafka } from '../../core/kafka.ts';
import { randomBytes } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import { waitFor } from '../../core/wait-for.ts';
import { createTopicsIfMissing } from '../../core/kafka-topics.ts';
import { headersToStrings, type InboundMessage } from '../../consumers/feature-store/inbound.ts';

/** A message as the feature consumer sees it, plus when this reader received it (ms since epoch, sub-millisecond). */
export interface ReceivedMessage extends InboundMessage {
  receivedAt: number;
}

export interface TopicReader {
  messages: ReceivedMessage[];
  /** Polls until `done(messages)` holds; fails with what was received so far. */
  until(done: (msgs: ReceivedMessage[]) => boolean, timeoutMs?: number): Promise<ReceivedMessage[]>;
  close(): Promise<void>;
}

/**
 * Reads topics from the beginning with a consumer group of its own. Topics are created first
 * (as Debezium would: 3 partitions, kept forever) so a reader can start before the first change.
 */
export async function readTopics(brokers: string[], topics: string[]): Promise<TopicReader> {
  const kafka = createKafka({ clientId: 'test-reader', brokers });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicsIfMissing(
      admin,
      topics.map((topic) => ({ topic, numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '-1' }] })),
    );
  } finally {
    await admin.disconnect();
  }
  const messages: ReceivedMessage[] = [];
  const consumer: Consumer = kafka.consumer({
    groupId: `test-reader-${randomBytes(4).toString('hex')}`,
    maxWaitTimeInMs: 50,
  });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      messages.push({
        topic,
        partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        headers: headersToStrings(message.headers),
        receivedAt: performance.timeOrigin + performance.now(),
      });
    },
  });
  return {
    messages,
    until: (done, timeoutMs = 30_000) =>
      waitFor(async () => done(messages) && messages, {
        timeoutMs,
        intervalMs: 20,
        what: () => `messages on ${topics.join(', ')} (have ${messages.length})`,
      }),
    close: () => consumer.disconnect(),
  };
}
