import { fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { ChildMessage, TrainJob, TrainOutcome } from './train-protocol.ts';

const CHILD = fileURLToPath(new URL('./train-child.ts', import.meta.url));

export interface TrainInChildDeps {
  logger: Logger;
  niceness: number;
  onEpoch(label: string, epoch: number, line: string): void;
}

/** Runs one training job in a child process at lower priority; rejects with the child's reason. */
export function trainInChild(job: TrainJob, deps: TrainInChildDeps): Promise<TrainOutcome> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    try {
      setPriority(child.pid!, deps.niceness);
    } catch (err) {
      deps.logger.warn('could not lower the training process priority', { err });
    }
    let settled = false;
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'progress') deps.onEpoch(m.label, m.epoch, m.line);
      else if (m.type === 'done') {
        settled = true;
        resolve(m.outcome);
      } else {
        settled = true;
        reject(new AppError(`training failed: ${m.name}: ${m.message}`));
      }
    });
    child.once('error', (err) => {
      if (!settled) reject(new AppError('the training process could not start', { cause: err }));
      settled = true;
    });
    child.once('exit', (code, signal) => {
      if (!settled)
        reject(new AppError(`the training process exited (code ${code}, signal ${signal}) without a result`));
      settled = true;
    });
    child.send(job);
  });
}
