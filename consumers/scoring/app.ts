import { Partitioners } from 'kafkajs';
import { loadCategoryMap } from '../../features/category-map.ts';
import { retryTransient } from '../../core/retry.ts';
import { createKafka } from '../../core/kafka.ts';
import type { Logger } from '../../core/logger.ts';
import { serveMetrics } from '../../core/metrics-server.ts';
import type { Running } from '../../core/run-main.ts';
import { selectBackend } from '../../model/backend/select-backend.ts';
import { createRegistry } from '../../model/registry/registry.ts';
import { createShadowSlot } from '../../model/registry/shadow.ts';
import { createPool } from '../../prisma/db/pool.ts';
import { createControlFollower } from '../shared/control-follower.ts';
import { createCatalogueCache } from './catalogue-cache.ts';
import type { ScoringConfig } from './config.ts';
import { createLiveScoring } from './live-consumer.ts';
import { loadScoringModel, type LoadModelDeps } from './load-model.ts';
import { createModelFollower } from './model-follower.ts';
import { createModelHolder, type ModelHolder } from './model-holder.ts';
import { createFreshnessMemo } from './publisher.ts';
import { loadPurchaseHistory } from './purchase-history.ts';
import { createScorer } from './scorer.ts';
import type { ScoringModel } from './scoring-model.ts';
import { createScoringMetrics } from './scoring-metrics.ts';
import { createShadowScoring } from './shadow-scoring.ts';
import { createSweepCoordinator, type SweepCoordinator } from './sweep-coordinator.ts';
import { ensureScoringTopics } from './topics.ts';

export interface RunningScoring extends Running {
  models: ModelHolder;
  /** The challenger in shadow mode now, if any. */
  shadowVersion(): string | null;
  sweeps: SweepCoordinator;
  metricsPort?: number;
}

/** Wires one scoring process: pools, catalogue, champion, live consumer, sweeps, metrics. */
export async function startScoring(
  config: ScoringConfig,
  logger: Logger,
  opts: Pick<LoadModelDeps, 'predictWith'> = {},
): Promise<RunningScoring> {
  const shop = createPool(config.shop, { connectionLimit: 2 });
  const store = createPool(config.store, { connectionLimit: 4 });
  const metrics = createScoringMetrics();
  const categoryMap = await loadCategoryMap(config.categoryMapFile);
  const catalogue = await createCatalogueCache({
    pool: shop,
    categoryMap,
    refreshMs: config.catalogueRefreshMs,
    logger,
  });
  const backend = await selectBackend({ out: (line) => logger.info(line) });
  const registry = createRegistry({ dir: config.modelsDir });
  const models = createModelHolder({
    registryDir: config.modelsDir,
    championVersion: async () => (await registry.champion())?.version ?? null,
    load: (version) => loadScoringModel({ tf: backend.tf, registry, ...opts }, version),
    pollMs: config.modelPollMs,
    logger,
    onChange: (v) => {
      metrics.modelInfo.reset();
      metrics.modelInfo.set({ version: v ?? 'popularity' }, 1);
    },
  });
  await models.start();
  const shadowSlot = createShadowSlot({ tf: backend.tf, registry, logger });
  const makeScorer = (model: () => ScoringModel | null) =>
    createScorer({
      model,
      catalogue: () => catalogue.current(),
      history: (ids, since, cat, countFor) =>
        loadPurchaseHistory(store, ids, { since, modelOfRaw: cat.modelOfRaw, countFor }),
      opts: config.recommendation,
    });
  const scorer = makeScorer(() => models.current());
  const kafka = createKafka({ clientId: 'scoring', brokers: config.brokers, logger });
  const modelFollower = createModelFollower({
    kafka,
    topic: config.modelsTopic,
    groupPrefix: `${config.groupId}-models`,
    logger,
    onChampion: (version) => models.follow(version),
    onEvents: (events) => shadowSlot.onModelEvents(events),
  });
  // A topic this process just created may not be known to every broker of a cluster for a moment
  // (UNKNOWN_TOPIC_OR_PARTITION from the one asked next): each Kafka step of the start is retried.
  const starting = <T>(what: string, step: () => Promise<T>) =>
    retryTransient(`start: ${what}`, step, { logger, retries: 8, maxDelayMs: 2_000 });
  await starting('model follower', () => modelFollower.start());
  const numPartitions = await starting('topics', () => ensureScoringTopics(kafka, config));
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await starting('producer', () => producer.connect());
  const memo = createFreshnessMemo();
  // The follower feeds the coordinator, which reads the follower's ledger: tied by this late binding.
  const onEvent: { to?: SweepCoordinator } = {};
  const follower = createControlFollower({
    kafka,
    topic: config.controlTopic,
    groupPrefix: `${config.groupId}-control`,
    logger,
    onEvent: (e) => onEvent.to?.onEvent(e),
  });
  const sweeps = createSweepCoordinator({
    ...config,
    kafka,
    producer,
    follower,
    store,
    scorer,
    numPartitions,
    batchSize: config.sweepBatch,
    memo,
    metrics,
    logger,
  });
  onEvent.to = sweeps;
  await starting('control follower', () => follower.start());
  const shadow = createShadowScoring({
    shadow: () => shadowSlot.scorer(),
    makeScorer,
    producer,
    topic: config.shadowRecommendationsTopic,
    metrics,
    logger,
  });
  const live = createLiveScoring({
    ...config,
    kafka,
    producer,
    scorer,
    shadow,
    memo,
    metrics,
    logger,
    onAssignment: (p) => sweeps.setAssignment(p),
  });
  await starting('live consumer', () => live.start());
  const server = config.metricsPort ? await serveMetrics(metrics.registry, config.metricsPort) : undefined;
  return {
    models,
    shadowVersion: () => shadowSlot.scorer()?.version ?? null,
    sweeps,
    crashed: live.crashed,
    metricsPort: server ? (server.address() as { port: number }).port : undefined,
    async stop() {
      await sweeps.stop();
      await live.stop();
      await shadow.idle();
      await follower.stop();
      await modelFollower.stop();
      shadowSlot.dispose();
      await producer.disconnect();
      models.stop();
      catalogue.stop();
      server?.close();
      await shop.end();
      await store.end();
    },
  };
}
