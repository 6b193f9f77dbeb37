import type { Admin, ITopicConfig } from 'kafkajs';
import { waitFor } from '../../core/wait-for.ts';
import type { CdcTopics } from '../../streams/cdc/topics.ts';
import { dlqTopicName } from '../../streams/topic.ts';

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
