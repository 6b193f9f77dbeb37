import { runMain } from '../../core/run-main.ts';
import { startFeatureConsumer } from './app.ts';
import { loadFeatureConsumerConfig } from './config.ts';

/** One feature-consumer process, configured by env alone (start more for scale-out). */
runMain({
  component: 'features',
  start: (env, logger) => startFeatureConsumer(loadFeatureConsumerConfig(env), logger),
});
