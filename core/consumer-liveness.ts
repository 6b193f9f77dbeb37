import type { Consumer } from 'kafkajs';
import type { HealthCheck } from './metrics-server.ts';

export interface Liveness {
  /** The consumer fetched, heartbeat or committed: its group membership is alive. */
  beat(): void;
  /** Records behind the high watermark on one partition, as last seen. */
  lag(partitionKey: string, records: number): void;
  /** A new assignment: lags seen before belong to partitions we may no longer own. */
  reassigned(): void;
  /** A chunk was committed. */
  progressed(): void;
  crashed(err: Error): void;
  /** An error once the group membership has been quiet for longer than `stallMs`, else undefined. */
  silent(): Error | undefined;
  check: HealthCheck;
}

/**
 * Health as liveness, not as "the port answers": unhealthy once crashed, when the group
 * membership has gone quiet (no fetch or heartbeat), or when there is lag and nothing was
 * committed for `stallMs` (a hung store, an outage that does not end).
 */
export function createLiveness(opts: { stallMs: number; now?: () => number }): Liveness {
  const now = opts.now ?? Date.now;
  const lags = new Map<string, number>();
  let lastBeat = now();
  let lastProgress = now();
  let behindSince: number | undefined;
  let crash: Error | undefined;
  const totalLag = () => [...lags.values()].reduce((a, b) => a + b, 0);
  return {
    beat: () => void (lastBeat = now()),
    lag(key, records) {
      const wasBehind = totalLag() > 0;
      lags.set(key, records);
      if (!wasBehind && totalLag() > 0) behindSince = now();
    },
    reassigned: () => lags.clear(),
    progressed: () => void (lastProgress = now()),
    crashed: (err) => void (crash ??= err),
    silent() {
      const quiet = now() - lastBeat;
      return quiet > opts.stallMs ? new Error(`no fetch or heartbeat for ${Math.round(quiet / 1000)} s`) : undefined;
    },
    check() {
      if (crash) return { ok: false, detail: `consumer crashed: ${crash.message}` };
      const t = now();
      const quiet = t - lastBeat;
      if (quiet > opts.stallMs) return { ok: false, detail: `no fetch or heartbeat for ${Math.round(quiet / 1000)} s` };
      const behind = totalLag();
      const stalled = t - Math.max(lastProgress, behindSince ?? 0);
      if (behind > 0 && stalled > opts.stallMs)
        return { ok: false, detail: `${behind} records behind, nothing committed for ${Math.round(stalled / 1000)} s` };
      return { ok: true, detail: `lag ${behind}` };
    },
  };
}

/**
 * Feeds a kafkajs consumer's events into `liveness`, and calls `onCrash` when the consumer has
 * stopped for good: kafkajs does not restart it after a non-retriable error leaves eachBatch.
 */
export function watchConsumer(
  consumer: Consumer,
  liveness: Liveness,
  onCrash: (err: Error) => void,
  opts: { checkEveryMs?: number } = {},
): void {
  const { FETCH, HEARTBEAT, COMMIT_OFFSETS, GROUP_JOIN, CRASH, STOP } = consumer.events;
  // A member that lost its coordinator can go on retrying commits against the old broker for good
  // (seen in the fault suite after a broker kill): only a fresh process rejoins, so a silent
  // membership counts as a crash, and the supervisor restarts the app.
  let crashedOnce = false;
  const once = (err: Error) => {
    if (crashedOnce) return;
    crashedOnce = true;
    clearInterval(timer);
    liveness.crashed(err);
    onCrash(err);
  };
  const timer = setInterval(() => {
    const err = liveness.silent();
    if (err) once(new Error(`consumer silent: ${err.message}`));
  }, opts.checkEveryMs ?? 5_000);
  timer.unref();
  consumer.on(STOP, () => clearInterval(timer));
  for (const e of [FETCH, HEARTBEAT, COMMIT_OFFSETS]) consumer.on(e, () => liveness.beat());
  consumer.on(GROUP_JOIN, () => {
    liveness.reassigned();
    liveness.beat();
  });
  consumer.on(CRASH, (e) => {
    if (e.payload.restart) return;
    once(new Error(`consumer of group ${e.payload.groupId} stopped`, { cause: e.payload.error }));
  });
}
