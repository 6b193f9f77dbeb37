import type { Producer } from 'kafkajs';
import { TransientError, classify } from '../../core/errors.ts';
import type { Publisher } from '../deps.ts';

/** Sends through the one producer once it is connected; before that (or while the broker is away) a 503. */
export function createKafkaPublisher(producer: Producer, connected: () => boolean): Publisher {
  return {
    async send(topic, messages) {
      if (!connected()) throw new TransientError('the broker is not reachable yet');
      try {
        await producer.send({ topic, messages, acks: -1 });
      } catch (err) {
        const e = classify(err, `producing to ${topic}`);
        throw e.retriable ? e : new TransientError(e.message, { cause: err });
      }
    },
  };
}
