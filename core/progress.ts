/**
 * A progress line (count, rate, %, eta) at most every `intervalMs`, for long generate/import/
 * simulate runs; written to stderr by the CLI so stdout stays for results.
 */
export interface Progress {
  tick(n: number): void;
  /** Prints the final line and returns the elapsed seconds. */
  done(): number;
}

export function createProgress(deps: {
  label: string;
  unit: string;
  total?: number;
  write: (line: string) => void;
  intervalMs?: number;
  now?: () => number;
}): Progress {
  const now = deps.now ?? Date.now;
  const interval = deps.intervalMs ?? 2000;
  const started = now();
  let last = started;
  let count = 0;
  const line = (t: number) => {
    const secs = Math.max(1e-3, (t - started) / 1000);
    const rate = count / secs;
    const parts = [`${deps.label}: ${fmt(count)} ${deps.unit}`, `${fmt(rate)} ${deps.unit}/s`, `${secs.toFixed(1)} s`];
    if (deps.total) {
      parts.push(`${((100 * count) / deps.total).toFixed(1)}%`);
      if (count > 0 && count < deps.total) parts.push(`eta ${Math.round((deps.total - count) / rate)} s`);
    }
    deps.write(parts.join('  '));
  };
  return {
    tick(n) {
      count += n;
      const t = now();
      if (t - last >= interval) {
        last = t;
        line(t);
      }
    },
    done() {
      const t = now();
      line(t);
      return (t - started) / 1000;
    },
  };
}

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
