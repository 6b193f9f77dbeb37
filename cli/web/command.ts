import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { appPort } from '../../core/config/app-ports.ts';
import type { ParsedArgs } from '../../core/args.ts';
import type { Area, CommandContext } from '../../core/command.ts';
import { AppError } from '../../core/errors.ts';
import { appProcess, appUrl, startApp, stopApp } from '../../stack/apps.ts';
import { logFile } from '../../stack/processes.ts';
import { settingsFromConfig } from '../../stack/settings.ts';

/** Runs an npm script of the web/ package in the foreground, with its output on ours. */
function npmWeb(ctx: CommandContext, script: string, env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['--prefix', join(ctx.root, 'web'), 'run', script], {
      stdio: 'inherit',
      env: { ...ctx.env, ...env },
    });
    child.on('error', (err) => reject(new AppError(`npm run ${script} in web/ failed to start`, { cause: err })));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function start(_args: ParsedArgs, ctx: CommandContext) {
  const s = settingsFromConfig(ctx.config, ctx.root);
  const pid = await startApp(s, 'web', ctx.env);
  ctx.out(`storefront on ${appUrl('web', ctx.env)} (pid ${pid}); log: ${logFile(appProcess(s, 'web'))}`);
}

export const webArea: Area = {
  name: 'web',
  summary: 'The storefront (React + Vite, its own package in web/).',
  verbs: {
    build: { summary: 'build the storefront into web/dist', run: (_a, ctx) => npmWeb(ctx, 'build') },
    dev: {
      summary: "Vite's dev server on 127.0.0.1:5173 with the API proxied under /api (hot reload)",
      run: (_a, ctx) =>
        npmWeb(ctx, 'dev', {
          VITE_API_URL: '/api',
          API_PROXY_TARGET: `http://127.0.0.1:${appPort('api', ctx.env)}`,
        }),
    },
    start: { summary: 'serve the built storefront in the background (as `npm start` does)', run: start },
    stop: {
      summary: 'stop the background storefront',
      run: async (_a, ctx) => {
        const was = await stopApp(settingsFromConfig(ctx.config, ctx.root), 'web');
        ctx.out(was ? 'storefront stopped' : 'storefront was not running');
      },
    },
    test: { summary: "the storefront's unit tests, lint and typecheck", run: (_a, ctx) => npmWeb(ctx, 'test') },
  },
};
