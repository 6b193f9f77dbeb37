import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { DbConfig } from '../../core/config/db-config.ts';
import { AppError } from '../../core/errors.ts';
import { silentLogger } from '../../core/logger.ts';
import { waitFor } from '../../core/wait-for.ts';
import { FEATURE_MIGRATIONS } from '../../consumers/feature-store/feature-migrations.ts';
import { generateToDb } from '../../shop/db-generate.ts';
import { createShopDbWriter } from '../../shop/db-writer.ts';
import { createShopGenerator } from '../../shop/generator/shop-generator.ts';
import { appDef } from '../../stack/apps.ts';
import { kafkaBrokers } from '../../stack/settings.ts';
import { repoRoot } from './test-stack.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { startTestCdc, type TestCdc } from './test-cdc.ts';

/** The project's processes, each started from its own entry point exactly as `npm start` runs it. */
const ENTRIES = {
  features: 'consumers/feature-store/main.ts',
  scoring: 'consumers/scoring/main.ts',
  materializer: 'consumers/materializer/main.ts',
  api: 'api/main.ts',
} as const;

export interface FullSystem {
  shop: TestDatabase;
  store: TestDatabase;
  env: NodeJS.ProcessEnv;
  apiUrl: string;
  webUrl: string;
  opsToken: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const urlOf = (db: DbConfig) =>
  `mysql://${encodeURIComponent(db.user)}:${encodeURIComponent(db.password)}@${db.host}:${db.port}/${db.database}`;

function launch(args: string[], env: NodeJS.ProcessEnv, name: string, logs: string[]): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: 'pipe' });
  const keep = (b: Buffer) => {
    logs.push(`[${name}] ${b.toString('utf8').trimEnd()}`);
    if (logs.length > 400) logs.splice(0, logs.length - 400);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return child;
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

/** Trains and promotes a first champion from the shop database with the project's own CLI. */
async function trainChampion(env: NodeJS.ProcessEnv, modelsDir: string, logs: string[]): Promise<void> {
  const args = [
    '--import',
    'tsx',
    'cli/main.ts',
    'model',
    'train',
    '--promote',
    '--no-publish',
    '--models-dir',
    modelsDir,
  ];
  const child = launch([...args, '--max-epochs', '4'], env, 'train', logs);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`model train exited ${code}:\n${logs.slice(-30).join('\n')}`);
}

/**
 * A whole running system on the test stack: a generated shop in a scratch database with its own
 * connector and topics, a trained champion, the feature store, scoring, the materializer, the API
 * and the built storefront. Every process is stopped by `stop()`.
 */
export async function startFullSystem(opts: { shoppers?: number; seed?: number } = {}): Promise<FullSystem> {
  const stack = inject('stack');
  const shop = await createTestDatabase({ prefix: 'e2eshop' });
  const store = await createTestDatabase({ prefix: 'e2efs', migrationsDir: FEATURE_MIGRATIONS });
  const generator = createShopGenerator({ seed: opts.seed ?? 7, shoppers: opts.shoppers ?? 120 });
  await generateToDb({
    generator,
    writer: createShopDbWriter({ pool: shop.pool, logger: silentLogger }),
    logger: silentLogger,
  });
  const cdc: TestCdc = await startTestCdc(shop.name);
  const prefix = cdc.topics.orders.name.split('.')[0]!;
  const modelsDir = await mkdtemp(join(tmpdir(), 'e2e-models-'));
  const [apiPort, webPort, ...metricsPorts] = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
  const opsToken = randomBytes(24).toString('base64url');
  const env: NodeJS.ProcessEnv = {
    LOG_LEVEL: 'warn',
    DATABASE_URL: urlOf(shop.db),
    FEATURES_DATABASE_URL: urlOf(store.db),
    KAFKA_BROKERS: kafkaBrokers(stack).join(','),
    CDC_TOPIC_PREFIX: prefix,
    CDC_DATABASE: shop.name,
    FEATURES_TOPIC: `${prefix}.features.user.v1`,
    RECOMMENDATIONS_TOPIC: `${prefix}.recommendations.v1`,
    SHADOW_RECOMMENDATIONS_TOPIC: `${prefix}.recommendations.shadow.v1`,
    MODELS_TOPIC: `${prefix}.models.v1`,
    CONTROL_TOPIC: `${prefix}.control.jobs.v1`,
    STOREFRONT_EVENTS_TOPIC: `${prefix}.storefront.events.v1`,
    FEATURES_GROUP_ID: `${prefix}-features`,
    SCORING_GROUP_ID: `${prefix}-scoring`,
    MATERIALIZER_GROUP_ID: `${prefix}-materializer`,
    MODELS_DIR: modelsDir,
    FEATURES_METRICS_PORT: String(metricsPorts[0]),
    SCORING_METRICS_PORT: String(metricsPorts[1]),
    MATERIALIZER_METRICS_PORT: String(metricsPorts[2]),
    API_PORT: String(apiPort),
    OPS_TOKEN: opsToken,
    API_CORS_ORIGINS: `http://127.0.0.1:${webPort}`,
  };
  const logs: string[] = [];
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await Promise.all(children.map((c) => c.exitCode === null && new Promise((r) => c.once('exit', r))));
    await cdc.stop().catch(() => {});
    await rm(modelsDir, { recursive: true, force: true });
    await shop.drop();
    await store.drop();
  };
  try {
    await trainChampion(env, modelsDir, logs);
    for (const [name, entry] of Object.entries(ENTRIES)) {
      const flags = appDef(name as keyof typeof ENTRIES).nodeArgs ?? [];
      children.push(launch([...flags, '--import', 'tsx', entry], env, name, logs));
    }
    const vite = join(repoRoot, 'web/node_modules/vite/bin/vite.js');
    const webArgs = [
      vite,
      'preview',
      join(repoRoot, 'web'),
      '--host',
      '127.0.0.1',
      '--port',
      String(webPort),
      '--strictPort',
    ];
    children.push(launch(webArgs, { ...env, API_PROXY_TARGET: `http://127.0.0.1:${apiPort}` }, 'web', logs));
    const urls = [
      ...metricsPorts.slice(0, 3).map((p) => `http://127.0.0.1:${p}/healthz`),
      `http://127.0.0.1:${apiPort}/healthz`,
      `http://127.0.0.1:${webPort}/`,
    ];
    await waitFor(
      async () => {
        const dead = children.find((c) => c.exitCode !== null);
        if (dead) throw new AppError(`a process exited during start:\n${logs.slice(-40).join('\n')}`);
        return (await Promise.all(urls.map(healthy))).every(Boolean);
      },
      { timeoutMs: 120_000, intervalMs: 250, what: () => `the system to start:\n${logs.slice(-20).join('\n')}` },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    shop,
    store,
    env,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    webUrl: `http://127.0.0.1:${webPort}`,
    opsToken,
    stop,
  };
}
