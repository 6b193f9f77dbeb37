import { runMain } from '../../core/run-main.ts';
import { startScheduler } from './app.ts';
import { loadSchedulerConfig } from './config.ts';

/** The scheduler: publishes the daily commands to the control topic; run one. */
runMain({
  component: 'scheduler',
  start: (env, logger) => startScheduler(loadSchedulerConfig(env), logger),
});
