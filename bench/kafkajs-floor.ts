import { randomBytes } from 'node:crypto';
import type { EachBatchPayload } from 'kafkajs';
import { createKafka } from '../core/kafka.ts';
import { waitFor } from '../core/wait-for.ts';
import { readWithLibrdkafka } from '../consumers/feature-store/rdkafka-reader.ts';

export interface FloorResult {
  msgsPerSec: number;
  seconds: number;
  /** CPU seconds of this process while it consumed (nothing else runs in it meanwhile). */
  cpuSeconds: number;
}

/**
 * kafkajs itself, with the replay's fetch settings and no processing (or only JSON.parse of key
 * and value): how fast the client the replay is built on can read the topic at all. The gap
 * between this and kafka-consumer-perf-test is the client's; the gap between this and the
 * replay is ours.
 */
export async function kafkajsFloor(brokers: string[], topic: string, opts: { parse: boolean }): Promise<FloorResult> {
  const kafka = createKafka({ clientId: 'bench-floor', brokers });
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const ends = new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
  const total = offsets.reduce((a, p) => a + Number(p.high) - Number(p.low), 0);
  const reached = new Map([...ends.keys()].map((p) => [p, 0n]));
  const consumer = kafka.consumer({
    groupId: `floor-${randomBytes(4).toString('hex')}`,
    maxBytes: 16 << 20,
    maxBytesPerPartition: 4 << 20,
    maxWaitTimeInMs: 100,
  });
  let sink = 0;
  const eachBatch = async ({ batch }: EachBatchPayload) => {
    if (opts.parse)
      for (const m of batch.messages) {
        if (m.key) sink += (JSON.parse(m.key.toString('utf8')) as object) ? 1 : 0;
        if (m.value) sink += (JSON.parse(m.value.toString('utf8')) as object) ? 1 : 0;
      }
    else sink += batch.messages.length;
    reached.set(batch.partition, BigInt(batch.lastOffset()) + 1n);
  };
  await consumer.connect();
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ autoCommit: false, eachBatch });
    await waitFor(async () => [...ends].every(([p, end]) => (reached.get(p) ?? 0n) >= end), {
      timeoutMs: 3_600_000,
      intervalMs: 20,
      what: `kafkajs to read ${topic} to its end`,
    });
  } finally {
    await consumer.disconnect();
  }
  const seconds = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (sink < 0) throw new Error('unreachable');
  return { msgsPerSec: total / seconds, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** librdkafka (@confluentinc/kafka-javascript) reading the whole topic, assigned directly, doing nothing else. */
export async function librdkafkaFloor(brokers: string[], topic: string): Promise<FloorResult> {
  const admin = createKafka({ clientId: 'bench-floor', brokers }).admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const bounds = new Map(
    offsets.map((p) => [`${topic}:${p.partition}`, { start: BigInt(p.low), end: BigInt(p.high) }] as const),
  );
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  await readWithLibrdkafka(brokers, bounds, (records) => (n += records.length));
  const seconds = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { msgsPerSec: n / seconds, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}
