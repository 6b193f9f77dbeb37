import { setTimeout as delay } from 'node:timers/promises';
import type { Producer, ProducerRecord } from 'kafkajs';

export interface ProducerFaults {
  /** The next send to `topic` carrying one of these keys waits this long before it goes out (a slow ack). */
  slowOnce(keys: string[], ms: number): void;
  /** The next send to `topic` carrying one of these keys fails (a lost ack). */
  failOnce(keys: string[]): void;
}

/** Wraps a producer's send in place to inject slow and failed publishes on one topic. */
export function injectProducerFaults(producer: Producer, topic: string): ProducerFaults {
  const slow = new Map<string, number>();
  const fail = new Set<string>();
  const send = producer.send.bind(producer);
  producer.send = async (record: ProducerRecord) => {
    if (record.topic === topic) {
      const keys = record.messages.map((m) => String(m.key));
      const failing = keys.find((k) => fail.has(k));
      if (failing) {
        fail.delete(failing);
        throw Object.assign(new Error(`injected publish failure for key ${failing}`), { retriable: true });
      }
      const slowKey = keys.find((k) => slow.has(k));
      if (slowKey) {
        const ms = slow.get(slowKey)!;
        slow.delete(slowKey);
        await delay(ms);
      }
    }
    return send(record);
  };
  return {
    slowOnce: (keys, ms) => keys.forEach((k) => slow.set(k, ms)),
    failOnce: (keys) => keys.forEach((k) => fail.add(k)),
  };
}
