import type { Kafka } from 'kafkajs';
import { dlqTopicName } from '../../streams/topic.ts';
import { createTopicsIfMissing } from '../../core/kafka-topics.ts';
import { ensureControlTopic } from '../shared/control-follower.ts';

/**
 * The compacted recommendations topic, its shadow twin (partitioned like the features topic, so a shopper's key
 * lands on the same partition number), the features DLQ and the control topic; returns the
 * features topic's partition count, by which the sweep is split.
 */
export async function ensureScoringTopics(
  kafka: Kafka,
  t: { featuresTopic: string; recommendationsTopic: string; shadowRecommendationsTopic: string; controlTopic: string },
  partitions = 3,
): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicsIfMissing(admin, [
      {
        topic: t.featuresTopic,
        numPartitions: partitions,
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      },
    ]);
    const meta = await admin.fetchTopicMetadata({ topics: [t.featuresTopic] });
    const n = meta.topics[0]!.partitions.length;
    await createTopicsIfMissing(admin, [
      {
        topic: t.recommendationsTopic,
        numPartitions: n,
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      },
      // History, not state: the online comparison reads every shadow recommendation in time order.
      {
        topic: t.shadowRecommendationsTopic,
        numPartitions: n,
        configEntries: [
          { name: 'cleanup.policy', value: 'delete' },
          { name: 'retention.ms', value: '-1' },
        ],
      },
      {
        topic: dlqTopicName(t.featuresTopic),
        numPartitions: 1,
        configEntries: [{ name: 'retention.ms', value: '-1' }],
      },
    ]);
    await ensureControlTopic(admin, t.controlTopic);
    return n;
  } finally {
    await admin.disconnect();
  }
}
