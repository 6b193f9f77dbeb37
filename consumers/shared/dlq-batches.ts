import type { Message } from 'kafkajs';

/**
 * Below the broker's and the topic's default `max.message.bytes` (1 MiB, checked per record
 * batch, so per send to a 1-partition DLQ) with room for the batch and record framing.
 */
export const DLQ_MAX_BATCH_BYTES = 900_000;
/** Per record: length varints, offsets, timestamps, attributes (generous). */
const RECORD_OVERHEAD = 64;

const bytes = (v: Message['key'] | Message['value']) =>
  v === null || v === undefined ? 0 : Buffer.isBuffer(v) ? v.length : Buffer.byteLength(v);

export function recordBytes(m: Message): number {
  let n = RECORD_OVERHEAD + bytes(m.key) + bytes(m.value);
  for (const [k, v] of Object.entries(m.headers ?? {})) n += 8 + Buffer.byteLength(k) + bytes(v as Buffer | string);
  return n;
}

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
  const sends: { topic: string; messages: Message[] }[] = [];
  for (const { topic, messages } of topicMessages) {
    let current: Message[] = [];
    let size = 0;
    for (const raw of messages) {
      const m = fitRecord(raw, maxBytes);
      const n = recordBytes(m);
      if (current.length && size + n > maxBytes) {
        sends.push({ topic, messages: current });
        current = [];
        size = 0;
      }
      current.push(m);
      size += n;
    }
    if (current.length) sends.push({ topic, messages: current });
  }
  return sends;
}
