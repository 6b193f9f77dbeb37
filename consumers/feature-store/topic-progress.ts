import type { Admin, Kafka } from 'kafkajs';

/** Per partition: the end offset now, and the next offset this consumer group will read. */
export interface PartitionProgress {
  end: bigint;
  committed: bigint;
}

export interface TopicProgress {
  read(topic: string): Promise<Map<number, PartitionProgress>>;
  close(): Promise<void>;
}

/** A consumer group's progress through topics, read with an admin client connected on first use. */
export function createTopicProgress(kafka: Kafka, groupId: string): TopicProgress {
  let admin: Promise<Admin> | undefined;
  const connected = () =>
    (admin ??= (async () => {
      const a = kafka.admin();
      await a.connect();
      return a;
    })().catch((err: unknown) => {
      admin = undefined;
      throw err;
    }));
  return {
    async read(topic) {
      const a = await connected();
      const ends = await a.fetchTopicOffsets(topic);
      const [c] = await a.fetchOffsets({ groupId, topics: [topic] });
      const out = new Map<number, PartitionProgress>();
      for (const e of ends) {
        const raw = c?.partitions.find((p) => p.partition === e.partition)?.offset ?? '-1';
        // Never committed: the group starts from the partition's first offset.
        out.set(e.partition, { end: BigInt(e.high), committed: raw === '-1' ? BigInt(e.low) : BigInt(raw) });
      }
      return out;
    },
    async close() {
      const a = admin;
      admin = undefined;
      if (a) await (await a).disconnect();
    },
  };
}
