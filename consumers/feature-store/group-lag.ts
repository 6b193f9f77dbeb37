import type { Admin } from 'kafkajs';

export interface PartitionLag {
  topic: string;
  partition: number;
  end: bigint;
  committed: bigint;
  lag: number;
}

/** How far a consumer group is behind on these topics (a partition it never committed counts from its start). */
export async function groupLag(
  admin: Admin,
  groupId: string,
  topics: string[],
): Promise<{ total: number; produced: number; partitions: PartitionLag[] }> {
  const partitions: PartitionLag[] = [];
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const [c] = await admin.fetchOffsets({ groupId, topics: [topic] });
    for (const e of ends) {
      const raw = c?.partitions.find((p) => p.partition === e.partition)?.offset ?? '-1';
      const committed = raw === '-1' ? BigInt(e.low) : BigInt(raw);
      const end = BigInt(e.high);
      partitions.push({ topic, partition: e.partition, end, committed, lag: Number(end - committed) });
    }
  }
  return {
    total: partitions.reduce((a, p) => a + p.lag, 0),
    produced: partitions.reduce((a, p) => a + Number(p.end), 0),
    partitions,
  };
}
