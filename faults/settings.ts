import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { testStackSettings } from '../e2e/harness/test-stack.ts';
import type { StackSettings } from '../stack/settings.ts';

/**
 * The fault suite's own stack: 3 Kafka nodes, its own ports and directory (FAULTS_PORT_BASE,
 * FAULTS_STACK_DIR), fresh passwords, so it never touches the dev stack or the test stack.
 * Node N's broker listens on base + 92 + 10 × (N − 1); MariaDB on base + 307, Connect on base + 83.
 */
export function faultStackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const base = testStackSettings({
    TEST_STACK_PORT_BASE: env.FAULTS_PORT_BASE ?? '16000',
    TEST_STACK_DIR: resolve(env.FAULTS_STACK_DIR ?? '.stack-faults'),
    STACK_JARS_DIR: env.STACK_JARS_DIR,
  });
  // The passwords the stack's MariaDB was bootstrapped with stay with it (mode 600), so a kept stack can be reused.
  const secrets = join(base.dir, 'faults-secrets.json');
  const db = existsSync(secrets) ? { ...base.db, ...JSON.parse(readFileSync(secrets, 'utf8')) } : base.db;
  if (!existsSync(secrets)) {
    mkdirSync(base.dir, { recursive: true });
    const { rootPassword, appPassword, debeziumPassword } = db;
    writeFileSync(secrets, JSON.stringify({ rootPassword, appPassword, debeziumPassword }), { mode: 0o600 });
  }
  // Three brokers, Connect and MariaDB share two cores with the load and the consumer: smaller heaps.
  return { ...base, db, kafka: { ...base.kafka, brokers: 3 }, heap: '512m' };
}

/** Ports of the suite's own processes, beside the stack's. */
export const suitePorts = (env: NodeJS.ProcessEnv = process.env) => {
  const base = Number(env.FAULTS_PORT_BASE ?? 16000);
  return { featuresMetrics: base + 464, scoringMetrics: base + 465, materializerMetrics: base + 466 };
};
