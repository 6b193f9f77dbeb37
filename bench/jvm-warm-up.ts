import { jitSeconds } from '../stack/jvm-perf-data.ts';
import { runningPid } from '../stack/processes.ts';
import type { StackSettings } from '../stack/settings.ts';
import { processOf } from '../stack/stack.ts';

/** Warm-up goes in slices of this many seconds, the JVMs' compiling measured over each. */
export const WARM_SLICE_S = 5;
/** JIT seconds per second (both JVMs together) below which they count as warm: a tenth of a core. */
export const JIT_QUIET = 0.1;
/** The warm-up ends here even if the JVMs still compile (the figures then say so). */
export const WARM_MAX_S = 180;

/**
 * JIT seconds so far of the stack's JVMs together (Kafka, and Connect with Debezium); undefined
 * where neither tells (not running, or -XX:-UsePerfData).
 */
export function stackJitSeconds(s: StackSettings): number | undefined {
  const xs = (['kafka', 'connect'] as const)
    .map((c) => runningPid(processOf(s, c)))
    .map((pid) => (pid ? jitSeconds(pid) : undefined))
    .filter((x) => x !== undefined);
  return xs.length ? xs.reduce((a, b) => a + b, 0) : undefined;
}

/** The JIT seconds between two stackJitSeconds readings; undefined where either could not be read. */
export const jitBetween = (before: number | undefined, after: number | undefined) =>
  before === undefined || after === undefined ? undefined : after - before;

/**
 * Whether the warm-up may end after `elapsedS`: its minimum is done and the JVMs compiled less than
 * JIT_QUIET over the last slice. After a start, Kafka and Connect spend a minute or more compiling
 * their hot paths at full load: measured then, freshness is that of a JVM still compiling.
 */
export function warmEnough(elapsedS: number, minS: number, jitPerS: number | undefined): boolean {
  if (elapsedS >= WARM_MAX_S) return true;
  return elapsedS >= minS && (jitPerS === undefined || jitPerS < JIT_QUIET);
}
