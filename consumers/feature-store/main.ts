import { fileURLToPath } from 'node:url';
import { createLogger } from '../../core/logger.ts';
import { startFeatureConsumer } from './app.ts';

/** `tsx consumers/feature-store/main.ts`: a consumer process configured by env alone (for scale-out). */
async function main() {
  const { loadFeatureConsumerConfig } = await import('./config.ts');
  const config = loadFeatureConsumerConfig(process.env);
  const logger = createLogger({ level: config.logLevel, base: { component: 'features', pid: process.pid } });
  const running = await startFeatureConsumer(config, logger);
  const shutdown = () => {
    logger.info('stopping');
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'feature consumer failed', error: String(err) })}\n`);
    process.exit(1);
  });
}
