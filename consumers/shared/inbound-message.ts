import type { KafkaMessage } from 'kafkajs';

/** A message as read from Kafka, kept whole so a DLQ record can carry the original bytes. */
export interface InboundMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export function headersToStrings(h: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) {
    if (v === undefined || v === null) continue;
    out[k] = Buffer.isBuffer(v) ? v.toString('utf8') : Array.isArray(v) ? v.map(String).join(',') : String(v);
  }
  return out;
}

/** A kafkajs message of a batch, as the consumers and their DLQ handle it. */
export const toInbound = (topic: string, partition: number, m: KafkaMessage): InboundMessage => ({
  topic,
  partition,
  offset: m.offset,
  key: m.key,
  value: m.value,
  headers: headersToStrings(m.headers),
});
