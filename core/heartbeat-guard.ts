import type { Consumer, TopicPartitionOffsetAndMetadata } from 'kafkajs';
import { retryTransient, type RetryOptions } from './retry.ts';

/**
 * Kafka errors that mean the group moved on, or its coordinator did: this member must leave
 * eachBatch and rejoin. kafkajs rejoins on the first three (and on NOT_COORDINATOR_FOR_GROUP it
 * also asks for the new coordinator); retrying a commit or heartbeat in place would keep asking the
 * old coordinator, which kafkajs caches while its connection is up (a killed broker's successor).
 */
const REJOIN_TYPES = new Set([
  'REBALANCE_IN_PROGRESS',
  'NOT_COORDINATOR_FOR_GROUP',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'FENCED_INSTANCE_ID',
]);

/**
 * The error (itself, or one of its causes: kafkajs wraps it after its own retries) that calls for a
 * rejoin. A group call that finds its cached coordinator's broker gone from the cluster metadata
 * (a killed broker) is one too: it comes back as NOT_COORDINATOR_FOR_GROUP, on which kafkajs asks
 * for the new coordinator as it rejoins.
 */
export function rejoinReason(err: unknown): Error | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { type, name, message } = e as { type?: unknown; name?: unknown; message?: unknown };
    if (typeof type === 'string' && REJOIN_TYPES.has(type)) return e as Error;
    if (name === 'KafkaJSBrokerNotFound')
      return Object.assign(new Error(`the group coordinator's broker is gone: ${String(message)}`, { cause: e }), {
        type: 'NOT_COORDINATOR_FOR_GROUP',
        retriable: true,
      });
  }
  return undefined;
}

export interface HeartbeatGuard {
  /** For retry's onWait: heartbeats, and remembers a failure that calls for a rejoin instead of throwing. */
  onWait(): Promise<void>;
  /** Remembers a failure of another group call (an offset commit) that calls for a rejoin. */
  observe(err: unknown): void;
  /** Runs a group call (an offset commit), observing its failure before passing it on. */
  track<T>(call: () => Promise<T>): Promise<T>;
  /** The failure that calls for a rejoin, once one happened. */
  lost(): Error | undefined;
}

/**
 * Heartbeats between retries during an outage without swallowing what they say: a member that
 * missed a rebalance, or whose coordinator moved, stops retrying (keepGoing turns false) and
 * rethrows this error to kafkajs, which rejoins the group, instead of retrying on partitions it
 * no longer owns or against a broker that is no longer the coordinator.
 */
export function guardHeartbeat(heartbeat: () => Promise<void>): HeartbeatGuard {
  let lost: Error | undefined;
  const observe = (err: unknown) => {
    lost ??= rejoinReason(err);
  };
  return {
    async onWait() {
      try {
        await heartbeat();
      } catch (err) {
        observe(err);
        if (!lost) throw err;
      }
    },
    observe,
    async track(call) {
      try {
        return await call();
      } catch (err) {
        observe(err);
        throw err;
      }
    },
    lost: () => lost,
  };
}

/**
 * One batch's work under a fresh guard: a failure after the group or its coordinator moved on is
 * rethrown as the rejoin reason, on which kafkajs rejoins (the uncommitted work is then redone).
 */
export async function underGuard<T>(
  heartbeat: () => Promise<void>,
  work: (beat: HeartbeatGuard) => Promise<T>,
): Promise<T> {
  const beat = guardHeartbeat(heartbeat);
  try {
    return await work(beat);
  } catch (err) {
    throw beat.lost() ?? err;
  }
}

/** Commits one partition's offset, retried while transient, through the guard (a moved coordinator means rejoin). */
export const commitGuarded = (
  consumer: Pick<Consumer, 'commitOffsets'>,
  beat: HeartbeatGuard,
  offset: TopicPartitionOffsetAndMetadata,
  retry: RetryOptions,
) => retryTransient('commit offset', () => beat.track(() => consumer.commitOffsets([offset])), retry);
