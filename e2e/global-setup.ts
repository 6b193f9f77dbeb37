import type { TestProject } from 'vitest/node';
import { createLogger } from '../core/logger.ts';
import { stackDown, stackReset, stackUp } from '../stack/stack.ts';
import type { StackSettings } from '../stack/settings.ts';
import { testStackSettings } from './harness/test-stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackSettings;
  }
}

/** One real stack per test run: MariaDB, Kafka and Connect started from scratch, stopped at the end. */
export default async function setup(project: TestProject) {
  const settings = testStackSettings();
  const logger = createLogger({ level: 'warn', base: { component: 'test-stack' } });
  const t0 = Date.now();
  await stackReset(settings, logger);
  await stackUp(settings, logger, { registerShopConnector: false });
  process.stderr.write(`test stack up in ${((Date.now() - t0) / 1000).toFixed(1)} s (${settings.dir})\n`);
  project.provide('stack', settings);
  return async () => {
    if (process.env.KEEP_TEST_STACK) return;
    await stackDown(settings, logger);
  };
}
