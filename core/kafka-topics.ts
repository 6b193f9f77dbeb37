import type { Admin, ITopicConfig } from 'kafkajs';
import { waitFor } from './wait-for.ts';

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
