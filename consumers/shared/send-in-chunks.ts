import type { Message, Producer, Transaction } from 'kafkajs';

/**
 * The broker checks `max.message.bytes` (1 MiB by default) per record batch, and kafkajs sends one
 * batch per partition per request: a large send to one partition is refused as a whole and the
 * consumer stops. Sends are cut below that, keeping the order of the messages.
 */
export const MAX_SEND_BYTES = 800_000;

/** Per record: length varints, offsets, timestamps, attributes (generous). */
const RECORD_OVERHEAD = 64;

const bytes = (v: Message['key'] | Message['value']) =>
  v === null || v === undefined ? 0 : Buffer.isBuffer(v) ? v.length : Buffer.byteLength(v);

/** A record's size in a batch: key, value and headers plus framing. */
export function recordBytes(m: Message): number {
  let n = RECORD_OVERHEAD + bytes(m.key) + bytes(m.value);
  for (const [k, v] of Object.entries(m.headers ?? {})) n += 8 + Buffer.byteLength(k) + bytes(v as Buffer | string);
  return n;
}

export function chunkBySize(messages: Message[], maxBytes = MAX_SEND_BYTES): Message[][] {
  const chunks: Message[][] = [];
  let current: Message[] = [];
  let bytes = 0;
  for (const m of messages) {
    const n = recordBytes(m);
    if (current.length && bytes + n > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += n;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** Sends in order, each chunk acknowledged by all in-sync replicas before the next. */
export async function sendInChunks(
  sender: Pick<Producer | Transaction, 'send'>,
  topic: string,
  messages: Message[],
  maxBytes = MAX_SEND_BYTES,
): Promise<void> {
  for (const chunk of chunkBySize(messages, maxBytes)) await sender.send({ topic, acks: -1, messages: chunk });
}
