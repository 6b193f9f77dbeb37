import type { ParsedArgs } from '../../core/args.ts';
import type { CommandContext, Verb } from '../../core/command.ts';
import { ValidationError } from '../../core/errors.ts';
import { startTrainer } from '../../consumers/trainer/app.ts';
import { loadTrainerConfig } from '../../consumers/trainer/config.ts';
import { appProcess, startApp, stopApp } from '../../stack/apps.ts';
import { logFile } from '../../stack/processes.ts';
import { settingsFromConfig } from '../../stack/settings.ts';

async function runForeground(ctx: CommandContext) {
  const config = loadTrainerConfig(ctx.env, ctx.root);
  const running = await startTrainer(config, ctx.logger);
  ctx.out(
    `trainer running (control ${config.controlTopic}, models ${config.modelsTopic}, volume trigger ${config.afterOrders || 'off'}); Ctrl-C stops`,
  );
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await running.stop();
}

async function trainer(args: ParsedArgs, ctx: CommandContext) {
  const action = args.positionals[0] ?? 'run';
  const s = settingsFromConfig(ctx.config, ctx.root);
  if (action === 'run') return runForeground(ctx);
  if (action === 'start') {
    const pid = await startApp(s, 'trainer', ctx.env);
    ctx.out(`trainer running in the background (pid ${pid}); log: ${logFile(appProcess(s, 'trainer'))}`);
    return;
  }
  if (action === 'stop') {
    ctx.out((await stopApp(s, 'trainer')) ? 'trainer stopped' : 'trainer was not running');
    return;
  }
  throw new ValidationError(`unknown trainer action ${action}: run, start or stop`);
}

export const trainerVerb: Verb = {
  summary:
    'the retraining process: run in the foreground, or start/stop it in the background (env: RETRAIN_MIN_NDCG_GAIN, RETRAIN_AFTER_ORDERS, MODELS_DIR)',
  args: { positionals: ['[run|start|stop]'] },
  run: trainer,
};
