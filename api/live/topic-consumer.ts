import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '../../core/logger.ts';

export interface TopicConsumer {
  /** True between joining and a crash or stop: only then is what it fed trustworthy. */
  live(): boolean;
  stop(): Promise<void>;
}

export interface TopicConsumerDeps {
  kafka: Kafka;
  topics: { topic: string; fromBeginning: boolean }[];
  /** Prefix of the group id; the rest is unique to this process. */
  purpose: string;
  logger: Logger;
  onMessage(topic: string, message: KafkaMessage): void;
}

/**
 * Every API process reads the whole topic itself (a group of its own, never committed), because each
 * one holds its own SSE connections and views: partitions shared with other instances would miss values.
 */
export async function startTopicConsumer(deps: TopicConsumerDeps): Promise<TopicConsumer> {
  const groupId = `${deps.purpose}-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const consumer = deps.kafka.consumer({ groupId, maxWaitTimeInMs: 500, sessionTimeout: 10_000 });
  let live = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    live = true;
  });
  consumer.on(consumer.events.CRASH, (e) => {
    live = false;
    deps.logger.warn('topic consumer crashed; kafkajs restarts it', { groupId, err: e.payload.error });
  });
  consumer.on(consumer.events.STOP, () => {
    live = false;
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
    async stop() {
      live = false;
      await consumer.disconnect();
    },
  };
}
