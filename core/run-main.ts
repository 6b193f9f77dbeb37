import { createLogger, type Logger } from './logger.ts';
import { logLevel } from './config/pieces.ts';

/** What a started process hands back: how to stop it, and a promise that settles if it dies by itself. */
export interface Running {
  stop(): Promise<void>;
  /** Rejects when the process can no longer do its work (a consumer crashed): main exits non-zero. */
  crashed?: Promise<never>;
}

export interface MainDeps {
  component: string;
  env?: NodeJS.ProcessEnv;
  start(env: NodeJS.ProcessEnv, logger: Logger): Promise<Running>;
  /** How long a stop may take before the process exits anyway. */
  stopTimeoutMs?: number;
}

/**
 * The whole life of a process entry point: logger, start, SIGTERM/SIGINT, loud exit on failure.
 * A main.ts calls this and nothing else, so every process starts and stops the same way.
 */
export function runMain(deps: MainDeps): void {
  const env = deps.env ?? process.env;
  const level = logLevel.catch('info').parse(env.LOG_LEVEL);
  const logger = createLogger({ level, base: { component: deps.component, pid: process.pid } });
  const fail = (msg: string) => (err: unknown) => {
    logger.error(msg, { err });
    process.exit(1);
  };
  process.on('uncaughtException', fail('uncaught exception'));
  process.on('unhandledRejection', fail('unhandled rejection'));
  deps.start(env, logger).then((running) => {
    logger.info('started');
    running.crashed?.catch(fail('stopped working; exiting so the supervisor restarts it'));
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info('stopping', { signal });
      setTimeout(() => fail('stop timed out')(new Error('stop timed out')), deps.stopTimeoutMs ?? 20_000).unref();
      running.stop().then(() => process.exit(0), fail('stop failed'));
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  }, fail('start failed'));
}
