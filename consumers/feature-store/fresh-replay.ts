import type { EachBatchPayload, Kafka } from 'kafkajs';
import type { Pool } from '../../prisma/db/pool.ts';
import type { CdcTopics } from '../../streams/cdc/topics.ts';
import { waitFor } from '../../core/wait-for.ts';
import type { Logger } from '../../core/logger.ts';
import { sortMessages, type BatchDeps } from './apply-batch.ts';
import type { InboundMessage } from './inbound.ts';

const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;
import {
  applyCategoriesInMemory,
  applyItemsInMemory,
  applyOrdersInMemory,
  applyProductsInMemory,
  applyUsersInMemory,
  emptyFreshState,
  type FreshState,
} from './fresh-state.ts';
import { freshFeatures, resolveLineCategories } from './fresh-features.ts';
import { readWithLibrdkafka } from './rdkafka-reader.ts';
import { addIndexes, prepareBuildTables, swapInBuildTables, writeFreshState } from './fresh-write.ts';

export interface FreshReplayDeps {
  kafka: Kafka;
  pool: Pool;
  topics: CdcTopics;
  groupId: string;
  logger: Logger;
  numCategories: number;
  modelIndexOf: (name: string) => number;
  /** Where each partition starts (`topic:partition` → offset) and stops (the end seen at the start). */
  bounds: Map<string, { start: bigint; end: bigint }>;
  onProgress?: (done: number, applied: number, rejected: number) => void;
  /** The Kafka client that reads: kafkajs (the default), or librdkafka where it is installed (rdkafka-reader.ts). */
  client?: ReplayClient;
  /** For librdkafka, which connects on its own. */
  brokers: string[];
}

export type ReplayClient = 'kafkajs' | 'librdkafka';

export interface FreshReplayStats {
  applied: number;
  rejected: number;
  users: number;
  consumeMs: number;
  computeMs: number;
  writeMs: number;
}

/** Decodes one batch with the live path's decoder and checks, and applies it to the state. */
function applyToState(state: FreshState, msgs: InboundMessage[], deps: BatchDeps, modelIndexOf: (n: string) => number) {
  const s = sortMessages(msgs, deps);
  applyUsersInMemory(state, s.users);
  applyCategoriesInMemory(state, s.categories, modelIndexOf);
  applyProductsInMemory(state, s.products);
  applyOrdersInMemory(state, s.orders);
  applyItemsInMemory(state, s.items);
  const applied = s.users.length + s.categories.length + s.products.length + s.orders.length + s.items.length;
  return { applied, rejected: s.rejected.length };
}

/** Reads every partition from its start to its end bound with kafkajs, in a group of its own; nothing is committed. */
async function readWithKafkajs(deps: FreshReplayDeps, onBatch: (msgs: InboundMessage[]) => void) {
  const key = (topic: string, partition: number) => `${topic}:${partition}`;
  const reached = new Map([...deps.bounds].map(([k, v]) => [k, v.start]));
  const consumer = deps.kafka.consumer({
    groupId: deps.groupId,
    // Large fetches: a replay reads whole segments, and every fetch round trip is a pause.
    maxBytes: 16 << 20,
    maxBytesPerPartition: 4 << 20,
    maxWaitTimeInMs: 100,
    sessionTimeout: 60_000,
    heartbeatInterval: 5_000,
  });
  const eachBatch = async ({ batch, heartbeat }: EachBatchPayload) => {
    const bound = deps.bounds.get(key(batch.topic, batch.partition));
    const msgs: InboundMessage[] = [];
    for (const m of batch.messages) {
      if (bound && BigInt(m.offset) >= bound.end) break;
      // Headers only matter to a dead-letter record, and a replay dead-letters nothing.
      msgs.push({
        topic: batch.topic,
        partition: batch.partition,
        offset: m.offset,
        key: m.key,
        value: m.value,
        headers: NO_HEADERS,
      });
    }
    onBatch(msgs);
    const last = msgs.at(-1);
    if (last) reached.set(key(batch.topic, batch.partition), BigInt(last.offset) + 1n);
    await heartbeat();
  };
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: Object.values(deps.topics).map((t) => t.name), fromBeginning: true });
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: true, partitionsConsumedConcurrently: 1, eachBatch });
    await waitFor(async () => [...deps.bounds].every(([k, v]) => (reached.get(k) ?? v.start) >= v.end), {
      timeoutMs: 24 * 3600_000,
      intervalMs: 50,
      what: 'the replay to reach the end offsets',
    });
  } finally {
    await consumer.disconnect();
  }
}

/** Reads every partition from its start to its end bound into memory, with the client chosen. */
async function consumeIntoState(deps: FreshReplayDeps, state: FreshState) {
  const batchDeps: BatchDeps = {
    pool: deps.pool,
    topics: deps.topics,
    numCategories: deps.numCategories,
    modelIndexOf: deps.modelIndexOf,
  };
  let applied = 0,
    rejected = 0,
    done = 0;
  const onBatch = (msgs: InboundMessage[]) => {
    const r = applyToState(state, msgs, batchDeps, deps.modelIndexOf);
    applied += r.applied;
    rejected += r.rejected;
    done += msgs.length;
    deps.onProgress?.(done, applied, rejected);
  };
  if (deps.client !== 'librdkafka') await readWithKafkajs(deps, onBatch);
  else
    await readWithLibrdkafka(deps.brokers, deps.bounds, (records) =>
      onBatch(
        records.map((r) => ({
          topic: r.topic,
          partition: r.partition,
          offset: String(r.offset),
          key: typeof r.key === 'string' ? Buffer.from(r.key) : r.key,
          value: r.value,
          headers: NO_HEADERS,
        })),
      ),
    );
  return { applied, rejected };
}

/**
 * A fresh replay: reads the topics into memory (newer wins per row, as the guarded upserts do),
 * derives every line's category and every shopper's features once at the end, and writes all
 * tables with bulk INSERTs into build tables that one RENAME TABLE swaps in. A crash at any
 * point leaves the store empty (or complete), and a rerun starts over.
 */
export async function replayFreshInMemory(deps: FreshReplayDeps): Promise<FreshReplayStats> {
  const state = emptyFreshState();
  const indexes = await prepareBuildTables(deps.pool);
  const t0 = Date.now();
  const { applied, rejected } = await consumeIntoState(deps, state);
  const t1 = Date.now();
  resolveLineCategories(state);
  let computeMs = Date.now() - t1,
    users = 0;
  // Features are computed a chunk at a time while the write runs; their time is counted apart.
  const features = function* () {
    const it = freshFeatures(state, deps.numCategories);
    for (;;) {
      const c0 = Date.now();
      const next = it.next();
      computeMs += Date.now() - c0;
      if (next.done) return;
      users += next.value.length;
      yield next.value;
    }
  };
  await writeFreshState(deps.pool, state, features());
  await addIndexes(deps.pool, indexes);
  await swapInBuildTables(deps.pool);
  const t3 = Date.now();
  deps.logger.info('fresh replay written', { rows: state.items.size + state.orders.size + state.users.size });
  return { applied, rejected, users, consumeMs: t1 - t0, computeMs, writeMs: t3 - t1 - computeMs };
}
