import { setTimeout as delay } from 'node:timers/promises';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Logger } from '../../core/logger.ts';
import type { Recommendation } from '../../streams/recommendations/recommendation.ts';
import type { HttpConfig } from '../config.ts';
import { handleRecommendationMessage } from '../live/recommendation-feed.ts';
import { startTopicConsumer, type TopicConsumer } from '../live/topic-consumer.ts';
import type { JobsView } from '../ops/jobs-view.ts';
import type { OnlineView } from '../ops/online-view.ts';
import { apiTopics } from './topics.ts';
import { createTopicsIfMissing } from '../../core/kafka-topics.ts';

/** Group-id prefixes of the API's own uncommitted readers (left out of the ops page's lag table). */
export const API_GROUP_PREFIXES = ['api-live-', 'api-ops-'];

export interface KafkaSideDeps {
  kafka: Kafka;
  admin: Admin;
  producer: Producer;
  topics: HttpConfig['topics'];
  logger: Logger;
  onRecommendation(rec: Recommendation): void;
  onTombstone(userId: number): void;
  jobs: JobsView;
  online: OnlineView;
}

export interface KafkaSide {
  connected(): boolean;
  feedLive(): boolean;
  /** The ops reader has joined and read every topic it started on up to where they ended then. */
  opsCaughtUp(): boolean;
  stop(): Promise<void>;
}

/**
 * Connects the producer and the API's two readers, retrying until the broker answers: the API serves
 * /home from the database meanwhile, and what needs Kafka answers 503 until then.
 */
export function startKafkaSide(deps: KafkaSideDeps): KafkaSide {
  let connected = false;
  let stopping = false;
  const consumers: TopicConsumer[] = [];
  let feed: TopicConsumer | undefined;
  let ops: TopicConsumer | undefined;

  const connectOnce = async () => {
    await deps.admin.connect();
    await createTopicsIfMissing(deps.admin, apiTopics(deps.topics));
    await deps.producer.connect();
    connected = true;
    feed = await startTopicConsumer({
      kafka: deps.kafka,
      purpose: 'api-live',
      logger: deps.logger,
      // Only what comes next: the database already holds everything before.
      topics: [{ topic: deps.topics.recommendations, fromBeginning: false }],
      onMessage: (_t, m) =>
        handleRecommendationMessage(m, { onValue: deps.onRecommendation, onTombstone: deps.onTombstone }),
    });
    consumers.push(feed);
    const { jobs, storefrontEvents, recommendations, shadowRecommendations } = deps.topics;
    ops = await startTopicConsumer({
      kafka: deps.kafka,
      purpose: 'api-ops',
      logger: deps.logger,
      topics: [jobs, storefrontEvents, recommendations, shadowRecommendations].map((topic) => ({
        topic,
        fromBeginning: true,
      })),
      catchUp: { admin: deps.admin },
      fetchMinBytes: 256 << 10,
      onMessage: (topic, m) => {
        if (!m.value) return;
        const value: unknown = JSON.parse(m.value.toString('utf8'));
        if (topic === jobs) deps.jobs.accept(value);
        else if (topic === storefrontEvents) deps.online.event(value);
        else deps.online.recommendation(topic === recommendations ? 'champion' : 'shadow', value);
      },
    });
    consumers.push(ops);
  };

  const loop = async () => {
    for (let wait = 500; !stopping; wait = Math.min(wait * 2, 10_000)) {
      try {
        await connectOnce();
        deps.logger.info('connected to Kafka');
        return;
      } catch (err) {
        if (stopping) return;
        deps.logger.warn('Kafka not reachable yet; retrying', { err, waitMs: wait });
        await Promise.all(consumers.splice(0).map((c) => c.stop().catch(() => undefined)));
        await delay(wait);
      }
    }
  };
  const running = loop();

  return {
    connected: () => connected,
    feedLive: () => feed?.live() ?? false,
    opsCaughtUp: () => ops?.caughtUp() ?? false,
    async stop() {
      stopping = true;
      await running;
      await Promise.all(consumers.map((c) => c.stop().catch(() => undefined)));
      await deps.producer.disconnect().catch(() => undefined);
      await deps.admin.disconnect().catch(() => undefined);
    },
  };
}
