import { FETCH_MAX_WAIT_MS } from '../../core/kafka.ts';
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { createTopicsIfMissing, topicOffsets } from '../../core/kafka-topics.ts';
import type { Logger } from '../../core/logger.ts';
import { topicConfig } from '../../streams/ensure-topics.ts';
import { CHAMPION_KEY, modelEventSchema, modelsTopic, type ModelEvent } from '../../streams/models/model-event.ts';

export interface ModelFollowerDeps {
  kafka: Kafka;
  topic: string;
  /** A group of its own per process: every scorer reads the whole (compacted) topic. */
  groupPrefix: string;
  logger: Logger;
  /** The champion models.v1 names now (a promotion or a rollback); called with the newest only. */
  onChampion(version: string): Promise<unknown>;
  /** The events about versions since the last call, in order (the shadow slot folds them). */
  onEvents(events: ModelEvent[]): Promise<unknown>;
}

export interface ModelFollower {
  start(): Promise<void>;
  stop(): Promise<void>;
}

function decode(value: Buffer | null): ModelEvent | null {
  if (!value) return null;
  try {
    const parsed = modelEventSchema.safeParse(JSON.parse(value.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Follows models.v1 from the beginning, so a running scorer switches champion (and shadow) the
 * moment a promotion or rollback is announced, from any machine. The history is folded first and
 * only its end acted on: a scorer starting on a long topic loads the current champion once, not
 * every past one. A value it cannot parse is skipped (models.v1 has one writer, which validates).
 */
export function createModelFollower(deps: ModelFollowerDeps): ModelFollower {
  const consumer = deps.kafka.consumer({
    groupId: `${deps.groupPrefix}-${randomBytes(4).toString('hex')}`,
    maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
  });
  const admin = deps.kafka.admin();
  let champion: string | null = null;
  let acted: string | null = null;
  let backlog: ModelEvent[] = [];
  let replayEnd = 0n;
  let position = 0n;

  const act = async () => {
    const events = backlog;
    backlog = [];
    if (events.length)
      await deps.onEvents(events).catch((err: Error) => deps.logger.warn('model events not applied', { err }));
    if (champion && champion !== acted) {
      acted = champion;
      await deps
        .onChampion(champion)
        .catch((err: Error) => deps.logger.error('cannot switch to the announced champion', { champion, err }));
    }
  };
  return {
    async start() {
      await admin.connect();
      await createTopicsIfMissing(admin, [topicConfig({ name: deps.topic, cleanupPolicy: modelsTopic.cleanupPolicy })]);
      const ends = await topicOffsets(admin, deps.topic, deps.logger);
      await admin.disconnect();
      // One partition (as the publisher creates it): its order is the order of decisions.
      replayEnd = BigInt(ends[0]?.high ?? '0');
      await consumer.connect();
      await consumer.subscribe({ topics: [deps.topic], fromBeginning: true });
      await consumer.run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            position = BigInt(m.offset) + 1n;
            const e = decode(m.value);
            if (!e) continue;
            if (m.key?.toString() === CHAMPION_KEY) champion = e.version;
            else backlog.push(e);
          }
          if (position >= replayEnd) await act();
        },
      });
    },
    async stop() {
      await consumer.disconnect();
    },
  };
}
