import { hostname } from 'node:os';
import type { Kafka } from 'kafkajs';
import { classify } from '../../core/errors.ts';
import { lazyProducer } from '../../core/kafka-topics.ts';
import { topicConfig } from '../../streams/ensure-topics.ts';
import { jobEventSchema, jobsTopic, type JobEvent } from '../../streams/control/job-event.ts';

export interface JobPublisher {
  publish(e: JobEvent): Promise<void>;
  close(): Promise<void>;
}

/** host:pid, as the contract names a worker. */
export const workerName = () => `${hostname()}:${process.pid}`;

/** Writes job events (requests and status) to the control topic, each checked against its contract. */
export function createJobPublisher(deps: { kafka: Kafka; topic?: string }): JobPublisher {
  const topic = deps.topic ?? jobsTopic.name;
  const producer = lazyProducer(deps.kafka, [topicConfig({ name: topic, cleanupPolicy: jobsTopic.cleanupPolicy })]);
  return {
    async publish(e) {
      const value = jobEventSchema.parse(e);
      try {
        await (
          await producer.get()
        ).send({ topic, acks: -1, messages: [{ key: jobsTopic.key(value), value: JSON.stringify(value) }] });
      } catch (err) {
        throw classify(err, `publishing ${e.status} of ${e.runId} to ${topic}`);
      }
    },
    close: () => producer.close(),
  };
}

/** A job event with the fields a status report leaves empty filled in. */
export function jobEvent(
  base: Pick<JobEvent, 'job' | 'runId' | 'status' | 'requestedBy'> & Partial<JobEvent>,
  now = new Date(),
): JobEvent {
  return {
    worker: null,
    partitions: null,
    counts: null,
    durationMs: null,
    reason: null,
    at: now.toISOString(),
    ...base,
  };
}
