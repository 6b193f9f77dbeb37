import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { kafkaLogCreator } from './kafka-log.ts';
import { fixKafkajsIdleLoop } from './kafkajs-idle-fix.ts';
import type { Logger } from './logger.ts';

export interface KafkaDeps {
  brokers: string[];
  /** Names this client in the broker's logs and quotas; the pid is appended. */
  clientId: string;
  /** Routes kafkajs' logs into ours; without it kafkajs stays silent (tests, one-shot tools). */
  logger?: Logger;
  /** Retries of one request; 0 for probes that must answer fast (stack health). */
  retries?: number;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** The one place a kafkajs client is built, so every process talks to the broker the same way. */
export function createKafka(deps: KafkaDeps): Kafka {
  fixKafkajsIdleLoop();
  const config: KafkaConfig = {
    clientId: `${deps.clientId}-${process.pid}`,
    brokers: deps.brokers,
    connectionTimeout: deps.connectionTimeoutMs ?? 3_000,
    requestTimeout: deps.requestTimeoutMs ?? 30_000,
    retry: { retries: deps.retries ?? 8, initialRetryTime: 100, maxRetryTime: 5_000 },
    logLevel: deps.logger ? logLevel.WARN : logLevel.NOTHING,
    ...(deps.logger ? { logCreator: kafkaLogCreator(deps.logger) } : {}),
  };
  return new Kafka(config);
}

/**
 * The kafkajs retry for a group member's own calls (offset commits, the fetch loop). kafkajs
 * retries a commit against the coordinator it cached, so after the coordinator's broker dies it
 * keeps asking the wrong broker for the whole retry budget (~15 s with the client's) before our
 * code sees NOT_COORDINATOR_FOR_GROUP and rejoins. Short here: our own retry loop, which
 * heartbeats and rejoins (heartbeat-guard.ts), takes over at once. A fetch loop that runs out
 * restarts the consumer, as kafkajs does for any retriable crash.
 */
export const GROUP_MEMBER_RETRY = { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 };

/**
 * How long the broker may hold a long-running consumer's fetch when there is nothing to return.
 * A fetch is answered as soon as one byte is there, so this costs no latency; it only sets how
 * often an idle consumer asks again. At 20-100 ms the dozen idle consumers of a stack kept the
 * broker and themselves busy (a quarter of a core with nothing happening).
 */
export const FETCH_MAX_WAIT_MS = 500;
