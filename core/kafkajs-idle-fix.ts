import { createRequire } from 'node:module';

/** The part of kafkajs' per-connection RequestQueue (src/network/requestQueue) the fix touches. */
interface RequestQueueLike {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs' own recheck interval while requests wait for a free slot (CHECK_PENDING_REQUESTS_INTERVAL). */
const RECHECK_MS = 10;
const PATCHED = Symbol.for('shop-reco.kafkajs-idle-fix');

/**
 * kafkajs 2.2.4 re-arms a timer after every check of a connection's request queue, even with
 * nothing pending and no throttle: `throttledUntil - now` is negative, Node clamps it to 1 ms, and
 * each connection wakes its process every millisecond forever (tulios/kafkajs#1556 and #1704; the
 * fix in PR #1667 was never released). Measured here: ~1,700 wake-ups a second in every idle
 * process, 2.5–3.6% of a core each, seven processes. With nothing pending and no throttle there is
 * nothing to check: `push` schedules again when it queues a request, and every answered request
 * checks the queue itself.
 */
export function scheduleCheckPendingRequests(this: RequestQueueLike): void {
  if (this.throttleCheckTimeoutId) return;
  let wait = this.throttledUntil - Date.now();
  if (this.pending.length > 0) wait = wait > 0 ? wait : RECHECK_MS;
  else if (wait <= 0) return;
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, wait);
}

/** Installs the fix on kafkajs' RequestQueue (once per process; later calls do nothing). */
export function fixKafkajsIdleLoop(): void {
  const require = createRequire(import.meta.url);
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: Record<symbol, unknown> };
  const proto = RequestQueue.prototype as unknown as RequestQueueLike & Record<symbol, unknown>;
  if (proto[PATCHED]) return;
  proto.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  proto[PATCHED] = true;
}
