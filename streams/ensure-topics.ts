import type { Admin } from 'kafkajs';
import { waitFor } from '../core/wait-for.ts';

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
  const existing = new Set(await admin.listTopics());
  const wanted = defs.filter((d) => !existing.has(d.name));
  if (!wanted.length) return;
  try {
    await admin.createTopics({
      waitForLeaders: false,
      topics: wanted.map((d) => ({
        topic: d.name,
        numPartitions,
        configEntries: [
          { name: 'cleanup.policy', value: d.cleanupPolicy },
          ...(d.cleanupPolicy === 'delete' ? [{ name: 'retention.ms', value: '-1' }] : []),
        ],
      })),
    });
  } catch (err) {
    // Another process created one first: that is the state we want.
    if (!String((err as Error).message).includes('already exists')) throw err;
  }
  await waitFor(
    async () => {
      const meta = await admin.fetchTopicMetadata({ topics: wanted.map((d) => d.name) });
      return meta.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
    },
    { timeoutMs: 30_000, intervalMs: 50, what: `leaders for ${wanted.map((d) => d.name).join(', ')}` },
  );
}
