import type { Message } from 'kafkajs';
import { dlqTopicName } from '../../streams/topic.ts';
import type { InboundMessage } from './inbound-message.ts';

export interface Rejection {
  msg: InboundMessage;
  reason: string;
  errorClass: string;
  /** For a store error: its code, to tell one bad event from a chunk that all fails the same way. */
  signature?: string;
}

/**
 * The original key, value and headers, plus why and where from. Any Kafka client can read it;
 * (dlq.topic, dlq.partition, dlq.offset) identifies the original, so a redelivered duplicate is recognisable.
 */
export function dlqMessage(r: Rejection, group: string, at: Date): { topic: string; message: Message } {
  return {
    topic: dlqTopicName(r.msg.topic),
    message: {
      key: r.msg.key,
      value: r.msg.value,
      headers: {
        ...r.msg.headers,
        'dlq.reason': r.reason,
        'dlq.error.class': r.errorClass,
        'dlq.topic': r.msg.topic,
        'dlq.partition': String(r.msg.partition),
        'dlq.offset': r.msg.offset,
        'dlq.group': group,
        'dlq.at': at.toISOString(),
      },
    },
  };
}

export function groupByTopic(items: { topic: string; message: Message }[]): { topic: string; messages: Message[] }[] {
  const by = new Map<string, Message[]>();
  for (const i of items) by.set(i.topic, [...(by.get(i.topic) ?? []), i.message]);
  return [...by].map(([topic, messages]) => ({ topic, messages }));
}
