import { runMain } from '../../core/run-main.ts';
import { startScoring } from './app.ts';
import { loadScoringConfig } from './config.ts';

/** One scoring process of group "scoring", configured by env alone (start more for scale-out). */
runMain({
  component: 'scoring',
  start: (env, logger) => startScoring(loadScoringConfig(env), logger),
});
