import { hostname } from 'node:os';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { classify } from '../../core/errors.ts';
import { ensureTopics } from '../../streams/ensure-topics.ts';
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
  let producer: Producer | null = null;
  const ready = async () => {
    if (producer) return producer;
    const admin = deps.kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, [{ name: topic, cleanupPolicy: jobsTopic.cleanupPolicy }]);
    } finally {
      await admin.disconnect();
    }
    const p = deps.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await p.connect();
    producer = p;
    return p;
  };
  return {
    async publish(e) {
      const value = jobEventSchema.parse(e);
      try {
        await (
          await ready()
        ).send({ topic, acks: -1, messages: [{ key: jobsTopic.key(value), value: JSON.stringify(value) }] });
      } catch (err) {
        throw classify(err, `publishing ${e.status} of ${e.runId} to ${topic}`);
      }
    },
    async close() {
      await producer?.disconnect();
      producer = null;
    },
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
