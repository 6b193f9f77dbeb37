import { randomBytes } from 'node:crypto';
import { Partitioners, type Message } from 'kafkajs';
import { createKafka } from '../core/kafka.ts';
import { chunkBySize } from '../consumers/shared/send-in-chunks.ts';
import { readTopics } from '../e2e/harness/topic-reader.ts';

/** A few of the recommendations a sweep published: the reference's messages are these, cycled. */
export async function sampleMessages(brokers: string[], topic: string, n = 64): Promise<Message[]> {
  const reader = await readTopics(brokers, [topic]);
  try {
    const got = await reader.until((m) => m.length >= n, 60_000);
    return got.slice(0, n).map((m) => ({ key: m.key, value: m.value, headers: m.headers }));
  } finally {
    await reader.close();
  }
}

/**
 * The broker's intake alone, in the same run: `count` messages like the sweep's, to a topic of
 * its own, in transactions of `batch` messages cut as the sweep cuts them. A sweep can go no
 * faster than this on the same broker, whatever the scorer does.
 */
export async function measureIntake(
  brokers: string[],
  samples: Message[],
  o: { count: number; batch: number; partitions: number },
): Promise<{ messagesPerSec: number; topic: string }> {
  const kafka = createKafka({ clientId: 'bench-intake', brokers });
  const topic = `bench-intake-${randomBytes(4).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: o.partitions }], waitForLeaders: true });
  const producer = kafka.producer({
    transactionalId: `${topic}-tx`,
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    const t0 = performance.now();
    for (let i = 0; i < o.count; i += o.batch) {
      const messages = Array.from({ length: Math.min(o.batch, o.count - i) }, (_, j) => ({
        ...samples[(i + j) % samples.length]!,
        key: String(i + j + 1),
      }));
      const tx = await producer.transaction();
      for (const chunk of chunkBySize(messages)) await tx.send({ topic, acks: -1, messages: chunk });
      await tx.commit();
    }
    return { messagesPerSec: Math.round(o.count / ((performance.now() - t0) / 1000)), topic };
  } finally {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
  }
}
