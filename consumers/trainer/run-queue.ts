import type { Logger } from '../../core/logger.ts';
import type { JobEvent } from '../../streams/control/job-event.ts';
import type { JobLog } from './job-log.ts';

export interface RunQueue {
  /** Queues a request unless its run id was taken on the topic or already queued here. */
  offer(request: JobEvent): boolean;
  /** Whether a run is queued or running. */
  busy(): boolean;
  /** Settles when the queue is empty. */
  idle(): Promise<void>;
}

/**
 * Runs retrain requests one at a time (training takes the machine's spare core; two at once
 * would only slow both). A run id is offered at most once per process; across restarts the job
 * log's `taken` (its own `started` on the topic) keeps it from running twice.
 */
export function createRunQueue(deps: { log: JobLog; logger: Logger; run(r: JobEvent): Promise<unknown> }): RunQueue {
  const seen = new Set<string>();
  let tail: Promise<void> = Promise.resolve();
  let depth = 0;
  return {
    offer(request) {
      if (seen.has(request.runId) || deps.log.taken(request.runId)) {
        deps.logger.info('retrain request already handled', { runId: request.runId });
        return false;
      }
      seen.add(request.runId);
      depth++;
      tail = tail
        .then(async () => {
          await deps.run(request);
        })
        .catch((err) => deps.logger.warn('retrain run ended with an error', { runId: request.runId, err }))
        .finally(() => depth--);
      return true;
    },
    busy: () => depth > 0,
    idle: () => tail,
  };
}
