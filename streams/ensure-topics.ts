import type { Admin, ITopicConfig } from 'kafkajs';
import { createTopicsIfMissing } from '../core/kafka-topics.ts';

/** What topic creation needs from a TopicDef. */
export interface TopicShape {
  name: string;
  cleanupPolicy: 'compact' | 'delete';
}

/**
 * Creates the topics that are missing with their contract's cleanup policy (auto-creation would
 * make a compacted topic a delete-policy one) and waits for every partition's leader. Small
 * control and model topics take one partition, so all their keys share one order.
 */
export async function ensureTopics(admin: Admin, defs: readonly TopicShape[], numPartitions = 1): Promise<void> {
  await createTopicsIfMissing(
    admin,
    defs.map((d) => topicConfig(d, numPartitions)),
  );
}

/** How a contract's topic is created: its cleanup policy, and history kept forever unless compacted. */
export function topicConfig(d: TopicShape, numPartitions = 1): ITopicConfig {
  return {
    topic: d.name,
    numPartitions,
    configEntries: [
      { name: 'cleanup.policy', value: d.cleanupPolicy },
      ...(d.cleanupPolicy === 'delete' ? [{ name: 'retention.ms', value: '-1' }] : []),
    ],
  };
}
