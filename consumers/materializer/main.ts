import { runMain } from '../../core/run-main.ts';
import { startMaterializer } from './app.ts';
import { loadMaterializerConfig } from './config.ts';

/** One materializer process: recommendations.v1 → the shop database's recommendation_current table. */
runMain({
  component: 'materializer',
  start: (env, logger) => startMaterializer(loadMaterializerConfig(env), logger),
});
