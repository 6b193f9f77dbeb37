import { runMain } from '../../core/run-main.ts';
import { startTrainer } from './app.ts';
import { loadTrainerConfig } from './config.ts';

/** The trainer: retrains on request (control.jobs.v1) or order volume, and gates promotion. */
runMain({
  component: 'trainer',
  start: (env, logger) => startTrainer(loadTrainerConfig(env), logger),
  // A run in progress is abandoned on stop (its child exits with the parent); the next start marks it failed.
  stopTimeoutMs: 20_000,
});
