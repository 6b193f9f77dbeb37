import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { createKafka } from '../core/kafka.ts';
import { createCategoryMap } from '../features/category-map.ts';
import type { Logger } from '../core/logger.ts';
import type { Running } from '../core/run-main.ts';
import { createPool } from '../prisma/db/pool.ts';
import { createPrismaClient } from '../prisma/db/prisma-client.ts';
import type { Recommendation } from '../streams/recommendations/recommendation.ts';
import { createApp } from './app.ts';
import { createCatalogue } from './catalogue/catalogue.ts';
import type { ApiConfig } from './config.ts';
import type { ApiDeps } from './deps.ts';
import { createColdStart } from './home/cold-start.ts';
import { createHomeService } from './home/home-service.ts';
import { createRecommendationRows } from './home/recommendation-rows.ts';
import { productImageUrl } from './home/render-home.ts';
import { API_GROUP_PREFIXES, startKafkaSide } from './kafka/kafka-side.ts';
import { createKafkaPublisher } from './kafka/publisher.ts';
import { createSubscribers } from './live/subscribers.ts';
import { readFreshness } from './ops/freshness.ts';
import { createJobsView } from './ops/jobs-view.ts';
import { createKafkaStats } from './ops/kafka-stats.ts';
import { createModelControl } from './ops/model-control.ts';
import { createModelEventPublisher } from '../model/registry/model-event-publisher.ts';
import { readModels } from './ops/models-source.ts';
import { createOnlineView } from './ops/online-view.ts';
import { startOrderFeed } from './ops/order-feed.ts';
import { createOrderWriter } from './orders/place-order.ts';

export interface RunningApi extends Running {
  url: string;
}

/** Builds the real deps (pools, Prisma, Kafka) and serves the app; the only place the API does I/O setup. */
export async function startApi(config: ApiConfig, logger: Logger, clock = () => new Date()): Promise<RunningApi> {
  const pool = createPool(config.db, { connectionLimit: 10 });
  const prisma = createPrismaClient(config.db, 4);
  const kafka = createKafka({ clientId: 'api', brokers: config.brokers, logger, retries: 3 });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const imageUrl = productImageUrl(config.publicUrl);
  const modelEvents = createModelEventPublisher({ kafka, topic: config.topics.models });
  const feed = createSubscribers<Recommendation>();
  const jobs = createJobsView();
  const online = createOnlineView();
  const home = createHomeService({
    rows: createRecommendationRows({ pool, logger }),
    coldStart: createColdStart({ pool, imageUrl, clock, logger }),
    imageUrl,
    clock,
    capacity: config.homeCacheSize,
    viewLive: () => config.homeView && side.feedLive(),
    logger,
  });
  const side = startKafkaSide({
    kafka,
    admin,
    producer,
    topics: config.topics,
    logger,
    jobs,
    online,
    // The view first, so a stream's push renders the value it carries, then the open streams.
    onRecommendation: (rec) => {
      home.accept(rec);
      feed.publish(rec.userId, rec);
    },
    onTombstone: (userId) => home.forget(userId),
  });
  const categories = createCategoryMap();
  const orders = startOrderFeed({
    shop: pool,
    modelCategoryOf: (raw) => categories.model[categories.modelIndexOfRaw(raw)] ?? raw,
    onOrder: (o) => online.order(o),
    ready: () => side.opsCaughtUp(),
    logger,
    clock,
    since: new Date(clock().getTime() - config.onlineWindowDays * 86_400_000),
  });
  const deps: ApiDeps = {
    config,
    clock,
    newId: randomUUID,
    logger,
    home,
    feed,
    catalogue: createCatalogue({ prisma, imageUrl }),
    orders: createOrderWriter({ prisma }),
    publisher: createKafkaPublisher(producer, side.connected),
    ops: {
      freshness: () => readFreshness(pool),
      kafka: createKafkaStats({ admin, clock, ownGroupPrefixes: API_GROUP_PREFIXES }),
      jobs: () => jobs.latest(),
      models: () => readModels(prisma),
      online: () => online.rows(),
    },
    models: createModelControl({
      modelsDir: config.modelsDir,
      pool,
      announce: (events) => modelEvents.publish(events),
      clock,
    }),
    health: [
      { name: 'database', check: async () => (await pool.query('SELECT 1'), { ok: true }) },
      { name: 'kafka', check: async () => ({ ok: side.connected() }) },
      { name: 'recommendation-feed', check: async () => ({ ok: side.feedLive() }) },
    ],
  };
  const { listener } = createApp(deps, { defaultMetrics: true });
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  logger.info('API listening', { url: `http://${config.host}:${port}`, publicUrl: config.publicUrl });
  return {
    url: `http://${config.host}:${port}`,
    async stop() {
      // Open event streams would hold close() forever.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await closed;
      await Promise.all([side.stop(), orders.stop()]);
      await Promise.allSettled([pool.end(), prisma.$disconnect(), modelEvents.close()]);
    },
  };
}
