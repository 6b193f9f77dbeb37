import { runMain } from '../core/run-main.ts';
import { loadApiConfig } from './config.ts';
import { startApi } from './start.ts';

/** The HTTP API process, configured by env alone (see api/README.md). */
runMain({
  component: 'api',
  start: (env, logger) => startApi(loadApiConfig(env), logger),
});
