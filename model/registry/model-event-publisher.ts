import type { Kafka } from 'kafkajs';
import { classify } from '../../core/errors.ts';
import { lazyProducer } from '../../core/kafka-topics.ts';
import { topicConfig } from '../../streams/ensure-topics.ts';
import { CHAMPION_KEY, modelEventSchema, modelsTopic, type ModelEvent } from '../../streams/models/model-event.ts';

export interface ModelEventPublisher {
  /** Writes each event under its version; a champion event is also written under `champion`. */
  publish(events: readonly ModelEvent[]): Promise<void>;
  close(): Promise<void>;
}

export interface ModelEventPublisherDeps {
  kafka: Kafka;
  /** Tests use their own topic; default models.v1. */
  topic?: string;
}

/**
 * The one writer of models.v1. Each value is checked against the contract before it is sent, so
 * a consumer never sees an event it cannot parse; acks from all replicas, since a decision that
 * is lost would leave scorers on the wrong model.
 */
export function createModelEventPublisher(deps: ModelEventPublisherDeps): ModelEventPublisher {
  const topic = deps.topic ?? modelsTopic.name;
  const producer = lazyProducer(deps.kafka, [topicConfig({ name: topic, cleanupPolicy: modelsTopic.cleanupPolicy })]);
  return {
    async publish(events) {
      const messages = events.flatMap((e) => {
        const value = JSON.stringify(modelEventSchema.parse(e));
        const keys = e.status === 'champion' ? [modelsTopic.key(e), CHAMPION_KEY] : [modelsTopic.key(e)];
        return keys.map((key) => ({ key, value }));
      });
      try {
        await (await producer.get()).send({ topic, acks: -1, messages });
      } catch (err) {
        throw classify(err, `publishing ${events.map((e) => `${e.event} ${e.version}`).join(', ')} to ${topic}`);
      }
    },
    close: () => producer.close(),
  };
}
