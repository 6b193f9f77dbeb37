import { Partitioners, type Admin, type ITopicConfig, type Kafka, type Producer } from 'kafkajs';
import { waitFor } from './wait-for.ts';
import type { Logger } from './logger.ts';
import { retryTransient } from './retry.ts';

/**
 * Creates the missing topics and waits until every partition has a leader. kafkajs' own
 * waitForLeaders fails on the metadata gap right after creation, so this polls instead.
 */
export async function createTopicsIfMissing(admin: Admin, topics: ITopicConfig[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const wanted = topics.filter((t) => !existing.has(t.topic));
  if (!wanted.length) return;
  try {
    await admin.createTopics({ topics: wanted, waitForLeaders: false });
  } catch (err) {
    // Another instance (or Debezium) created one of them first: that is the state we want.
    if (!String((err as Error).message).includes('already exists')) throw err;
  }
  await waitFor(
    async () => {
      const meta = await admin.fetchTopicMetadata({ topics: wanted.map((t) => t.topic) });
      return meta.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
    },
    { timeoutMs: 30_000, intervalMs: 50, what: `leaders for ${wanted.map((t) => t.topic).join(', ')}` },
  );
}

/**
 * A producer connected on first use, after its topics exist with their settings: for writers
 * that may be the first to touch a topic (control and model topics), and that need no broker
 * until they first publish.
 */
export function lazyProducer(
  kafka: Kafka,
  topics: ITopicConfig[],
): { get(): Promise<Producer>; close(): Promise<void> } {
  let producer: Promise<Producer> | null = null;
  const connect = async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await createTopicsIfMissing(admin, topics);
    } finally {
      await admin.disconnect();
    }
    const p = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await p.connect();
    return p;
  };
  return {
    get() {
      producer ??= connect().catch((err: unknown) => {
        producer = null;
        throw err;
      });
      return producer;
    },
    async close() {
      const p = producer;
      producer = null;
      await (await p?.catch(() => null))?.disconnect();
    },
  };
}

/**
 * A topic's offsets per partition. Right after a topic is created (by us or by another process a
 * moment before), the broker can answer "not the leader for that topic-partition" until its
 * leadership settles: that is retried for a while rather than failing a consumer's start.
 */
export function topicOffsets(admin: Admin, topic: string, logger: Logger) {
  return retryTransient(`offsets of ${topic}`, () => admin.fetchTopicOffsets(topic), {
    logger,
    retries: 30,
    maxDelayMs: 1_000,
  });
}
