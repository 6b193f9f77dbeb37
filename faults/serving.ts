import type { DbConfig } from '../core/config/db-config.ts';
import { createKafka } from '../core/kafka.ts';
import { silentLogger } from '../core/logger.ts';
import { createControlFollower, type ControlFollower } from '../consumers/shared/control-follower.ts';
import { jobEvent, jobMessage } from '../consumers/shared/job-events.ts';
import { createTestRegistry, type TestRegistry } from '../e2e/harness/test-champion.ts';
import { startApp, stopApp } from '../stack/apps.ts';
import type { StackSettings } from '../stack/settings.ts';

/** The serving half under test: scorer and materializer, each under its supervisor, on the run's own topics. */
export interface Serving {
  scoringGroup: string;
  materializerGroup: string;
  featuresTopic: string;
  recommendationsTopic: string;
  /** Follows the control topic: sweep progress, done and failed, as the scorers commit them. */
  control: ControlFollower;
  /** Asks for a daily sweep with this run id, as the scheduler would. */
  requestSweep(runId: string): Promise<void>;
  startScoring(): Promise<void>;
  startMaterializer(): Promise<void>;
  close(): Promise<void>;
}

export interface ServingOptions {
  brokers: string[];
  shop: DbConfig;
  store: DbConfig;
  /** The run's topic prefix (the CDC connector's). */
  prefix: string;
  featuresTopic: string;
  seed: number;
  ports: { scoring: number; materializer: number };
}

const url = (db: DbConfig) =>
  `mysql://${encodeURIComponent(db.user)}:${encodeURIComponent(db.password)}@${db.host}:${db.port}/${db.database}`;

function servingEnv(o: ServingOptions, models: TestRegistry) {
  const recommendationsTopic = `${o.prefix}.recommendations.v1`;
  const shared = { KAFKA_BROKERS: o.brokers.join(','), DATABASE_URL: url(o.shop), LOG_LEVEL: 'warn' };
  const scoring: NodeJS.ProcessEnv = {
    ...shared,
    FEATURES_DATABASE_URL: url(o.store),
    FEATURES_TOPIC: o.featuresTopic,
    RECOMMENDATIONS_TOPIC: recommendationsTopic,
    SHADOW_RECOMMENDATIONS_TOPIC: `${o.prefix}.recommendations.shadow.v1`,
    CONTROL_TOPIC: `${o.prefix}.control.jobs.v1`,
    MODELS_TOPIC: `${o.prefix}.models.v1`,
    SCORING_GROUP_ID: `scoring-${o.prefix}`,
    MODELS_DIR: models.dir,
    SCORING_METRICS_PORT: String(o.ports.scoring),
    // Small sweep batches: a sweep of the 150 shoppers then takes several transactions per partition, long enough to be killed mid-run.
    SCORING_SWEEP_BATCH: '10',
    SCORING_SESSION_TIMEOUT_MS: '6000',
  };
  const materializer: NodeJS.ProcessEnv = {
    ...shared,
    MATERIALIZER_GROUP_ID: `materializer-${o.prefix}`,
    RECOMMENDATIONS_TOPIC: recommendationsTopic,
    MATERIALIZER_METRICS_PORT: String(o.ports.materializer),
  };
  return { scoring, materializer, recommendationsTopic };
}

/** A champion (an untrained W&D, seeded: scoring needs one, not a good one), then scorer and materializer. */
export async function startServing(stack: StackSettings, o: ServingOptions): Promise<Serving> {
  const models = await createTestRegistry();
  await models.registry.promote(await models.addVersion(o.seed));
  const env = servingEnv(o, models);
  const kafka = createKafka({ clientId: 'faults-control', brokers: o.brokers });
  const control = createControlFollower({
    kafka,
    topic: env.scoring.CONTROL_TOPIC!,
    groupPrefix: 'faults-control',
    logger: silentLogger,
  });
  // Ones left by an interrupted run would keep their old topics: startApp reuses a running app.
  await stopApp(stack, 'scoring');
  await stopApp(stack, 'materializer');
  const startScoring = async () => void (await startApp(stack, 'scoring', env.scoring));
  const startMaterializer = async () => void (await startApp(stack, 'materializer', env.materializer));
  await startScoring();
  await startMaterializer();
  await control.start();
  const producer = kafka.producer();
  await producer.connect();
  return {
    scoringGroup: env.scoring.SCORING_GROUP_ID!,
    materializerGroup: env.materializer.MATERIALIZER_GROUP_ID!,
    featuresTopic: o.featuresTopic,
    recommendationsTopic: env.recommendationsTopic,
    control,
    async requestSweep(runId) {
      const e = jobEvent({ job: 'daily-sweep', runId, status: 'requested', requestedBy: 'command' });
      await producer.send({ topic: env.scoring.CONTROL_TOPIC!, acks: -1, messages: [jobMessage(e)] });
    },
    startScoring,
    startMaterializer,
    async close() {
      await producer.disconnect().catch(() => {});
      await control.stop().catch(() => {});
      await stopApp(stack, 'scoring');
      await stopApp(stack, 'materializer');
      await models.cleanup();
    },
  };
}
