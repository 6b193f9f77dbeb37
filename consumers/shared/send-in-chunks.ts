import type { Message, Producer, Transaction } from 'kafkajs';

/**
 * The broker checks `max.message.bytes` (1 MiB by default) per record batch, and kafkajs sends one
 * batch per partition per request: a large send to one partition is refused as a whole and the
 * consumer stops. Sends are cut below that, keeping the order of the messages.
 */
export const MAX_SEND_BYTES = 800_000;

const size = (m: Message) =>
  64 +
  (m.key ? Buffer.byteLength(m.key as string | Buffer) : 0) +
  (m.value ? Buffer.byteLength(m.value as string | Buffer) : 0);

export function chunkBySize(messages: Message[], maxBytes = MAX_SEND_BYTES): Message[][] {
  const chunks: Message[][] = [];
  let current: Message[] = [];
  let bytes = 0;
  for (const m of messages) {
    const n = size(m);
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
