import type { Admin } from 'kafkajs';
import { createTopicsIfMissing } from '../../core/kafka-topics.ts';
import type { CdcTopics } from '../../streams/cdc/topics.ts';
import { dlqTopicName } from '../../streams/topic.ts';

/**
 * The CDC topics, if Debezium has not written to them yet, with the connector's own
 * topic.creation settings (3 partitions, kept forever), so a consumer may start first.
 */
export async function ensureInputTopics(admin: Admin, cdc: CdcTopics, partitions = 3): Promise<void> {
  await createTopicsIfMissing(
    admin,
    Object.values(cdc).map((t) => ({
      topic: t.name,
      numPartitions: partitions,
      configEntries: [{ name: 'retention.ms', value: '-1' }],
    })),
  );
}

/**
 * What the consumer writes to: the compacted features topic (auto-creation would make it a
 * delete-policy topic) and one DLQ per input topic, kept forever.
 */
export async function ensureOutputTopics(
  admin: Admin,
  cdc: CdcTopics,
  featuresTopic: string,
  partitions = 3,
): Promise<void> {
  await createTopicsIfMissing(admin, [
    { topic: featuresTopic, numPartitions: partitions, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
    ...Object.values(cdc).map((t) => ({
      topic: dlqTopicName(t.name),
      numPartitions: 1,
      configEntries: [{ name: 'retention.ms', value: '-1' }],
    })),
  ]);
}
