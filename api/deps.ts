import type { Logger } from '../core/logger.ts';
import type { Recommendation } from '../streams/recommendations/recommendation.ts';
import type { Catalogue } from './catalogue/catalogue.ts';
import type { HttpConfig } from './config.ts';
import type { HomeService } from './home/home-service.ts';
import type { Subscribers } from './live/subscribers.ts';
import type { KafkaStats } from './ops/kafka-stats.ts';
import type { OrderWriter } from './orders/place-order.ts';
import type { Freshness, JobRow, ModelRow, OnlineRow } from './schemas/ops.ts';

/** Sends keyed JSON values to a topic (the Kafka producer in production, an array in tests). */
export interface Publisher {
  send(topic: string, messages: { key: string; value: string }[]): Promise<void>;
}

/** Promote and roll back through the model registry (model/registry), the one writer of the champion. */
export interface ModelControl {
  promote(version: string, force: boolean): Promise<{ promoted: boolean; reason: string }>;
  rollback(): Promise<{ version: string }>;
}

export interface OpsSources {
  freshness(): Promise<Freshness>;
  kafka: KafkaStats;
  jobs(): JobRow[];
  models(): Promise<ModelRow[]>;
  online(): OnlineRow[];
}

export interface HealthCheck {
  name: string;
  check(): Promise<{ ok: boolean; detail?: string }>;
}

/**
 * Everything a request can reach, built once per process (api/start.ts) from the pools, the Prisma
 * client and the Kafka clients; `app.request()` tests pass fakes of the same shapes.
 */
export interface ApiDeps {
  config: HttpConfig;
  clock: () => Date;
  newId: () => string;
  logger: Logger;
  home: HomeService;
  /** Each shopper's new recommendations as they are consumed (what the SSE streams push). */
  feed: Subscribers<Recommendation>;
  catalogue: Catalogue;
  orders: OrderWriter;
  publisher: Publisher;
  ops: OpsSources;
  models: ModelControl;
  health: HealthCheck[];
  /** SSE comment interval; 15 s keeps proxies from closing an idle stream. */
  keepAliveMs?: number;
}
