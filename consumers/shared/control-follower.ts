import { FETCH_MAX_WAIT_MS } from '../../core/kafka.ts';
import { randomBytes } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from '../../core/logger.ts';
import { waitFor } from '../../core/wait-for.ts';
import type { JobEvent } from '../../streams/control/job-event.ts';
import { createTopicsIfMissing, topicOffsets } from '../../core/kafka-topics.ts';
import { decodeJobEvent } from './job-events.ts';
import { createJobLedger, type JobLedger } from './job-ledger.ts';

export interface ControlFollowerDeps {
  kafka: Kafka;
  topic: string;
  /** A group of its own per process: every follower reads the whole (compacted) topic. */
  groupPrefix: string;
  logger: Logger;
  onEvent?: (e: JobEvent, ledger: JobLedger) => void;
}

export interface ControlFollower {
  readonly ledger: JobLedger;
  start(): Promise<void>;
  /** Resolves once every event committed before the call has been applied (transaction markers included). */
  caughtUp(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The control topic is compacted and small: one partition keeps every run's events in order. */
export async function ensureControlTopic(admin: Admin, topic: string): Promise<void> {
  await createTopicsIfMissing(admin, [
    { topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
  ]);
}

/**
 * Reads the control topic from the beginning into a ledger and keeps following it. Read
 * committed: a sweep's progress counts only once its transaction (recommendations + progress)
 * committed, so a killed worker's half-written batch is never taken as done.
 */
export function createControlFollower(deps: ControlFollowerDeps): ControlFollower {
  const ledger = createJobLedger();
  const consumer = deps.kafka.consumer({
    groupId: `${deps.groupPrefix}-${randomBytes(4).toString('hex')}`,
    maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
  });
  const admin = deps.kafka.admin();
  // Next offset to read per partition, from every fetched batch (also those holding only markers).
  const position = new Map<number, bigint>();
  consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
    const next = BigInt(e.payload.lastOffset) + 1n;
    if (next > (position.get(e.payload.partition) ?? 0n)) position.set(e.payload.partition, next);
  });
  return {
    ledger,
    async start() {
      await admin.connect();
      await ensureControlTopic(admin, deps.topic);
      await consumer.connect();
      await consumer.subscribe({ topics: [deps.topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const e = decodeJobEvent(message.value);
          if (!e) return;
          ledger.apply(e);
          deps.onEvent?.(e, ledger);
        },
      });
    },
    async caughtUp(timeoutMs = 30_000) {
      const ends = await topicOffsets(admin, deps.topic, deps.logger);
      await waitFor(
        async () =>
          ends.every((p) => BigInt(p.high) <= BigInt(p.low) || (position.get(p.partition) ?? 0n) >= BigInt(p.high)),
        { timeoutMs, intervalMs: 20, what: `the control topic ${deps.topic} to be read to its end` },
      );
    },
    async stop() {
      await consumer.disconnect();
      await admin.disconnect();
    },
  };
}
