import type { Message, Producer } from 'kafkajs';
import { dlqMessage, groupByTopic, type Rejection } from './dlq.ts';
import { chunkBySize, recordBytes } from './send-in-chunks.ts';

/**
 * Below the broker's and the topic's default `max.message.bytes` (1 MiB, checked per record
 * batch, so per send to a 1-partition DLQ) with room for the batch and record framing.
 */
export const DLQ_MAX_BATCH_BYTES = 900_000;
/**
 * A record that alone exceeds the limit keeps its key and headers and the head of its value,
 * with `dlq.value.truncated` giving the original size: the original is still at
 * dlq.topic/partition/offset for as long as that topic keeps it (CDC topics: forever).
 */
export function fitRecord(m: Message, maxBytes: number): Message {
  const size = recordBytes(m);
  if (size <= maxBytes) return m;
  const value = Buffer.isBuffer(m.value) ? m.value : Buffer.from(m.value ?? '');
  const marker = { 'dlq.value.truncated': String(value.length) };
  const keep = Math.max(0, value.length - (size - maxBytes) - 64);
  return { ...m, value: value.subarray(0, keep), headers: { ...m.headers, ...marker } };
}

/** Splits each topic's records into sends of at most `maxBytes`, keeping their order. */
export function splitBySize(
  topicMessages: { topic: string; messages: Message[] }[],
  maxBytes = DLQ_MAX_BATCH_BYTES,
): { topic: string; messages: Message[] }[] {
  return topicMessages.flatMap(({ topic, messages }) =>
    chunkBySize(
      messages.map((m) => fitRecord(m, maxBytes)),
      maxBytes,
    ).map((chunk) => ({ topic, messages: chunk })),
  );
}

/**
 * Dead-letters rejected messages, one send per DLQ slice: a burst of large poison messages must not
 * exceed max.message.bytes, which would stop the consumer instead.
 */
export async function sendDeadLetters(
  producer: Pick<Producer, 'send'>,
  rejected: Rejection[],
  group: string,
  at: Date,
): Promise<void> {
  for (const send of splitBySize(groupByTopic(rejected.map((r) => dlqMessage(r, group, at)))))
    await producer.send({ acks: -1, ...send });
}
