import cliProgress from 'cli-progress';

/**
 * The one progress display for long commands (generate, import, replay, training): a bar redrawn in
 * place on a terminal, a plain line every few seconds otherwise (CI logs and pipes stay readable).
 * Written to stderr so stdout stays for results.
 */
export interface Progress {
  /** Adds n to the count. */
  tick(n: number, detail?: string): void;
  /** Sets the count (and the total, when it grows or becomes known). */
  update(count: number, detail?: string, total?: number): void;
  /** Stops the display, prints the final state and returns the elapsed seconds. */
  done(): number;
}

export interface ProgressOptions {
  label: string;
  unit: string;
  total?: number;
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** How often a line is printed when the stream is not a terminal. */
  intervalMs?: number;
}

export function createProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  const known = opts.total !== undefined && opts.total > 0;
  const head = `${opts.label} ${known ? '[{bar}] {percentage}% ' : ''}{count}${known ? '/{all}' : ''} ${opts.unit}`;
  const bar = new cliProgress.SingleBar({
    format: `${head}  {rate} ${opts.unit}/s  {elapsed} s${known ? '  eta {eta}s' : ''}  {detail}`,
    stream,
    noTTYOutput: true,
    notTTYSchedule: opts.intervalMs ?? 2_000,
    fps: 10,
    barsize: 24,
    hideCursor: false,
    etaBuffer: 50,
    forceRedraw: !stream.isTTY,
  });
  const started = Date.now();
  let count = 0;
  let total = opts.total ?? 0;
  let detail = '';
  const payload = () => {
    const secs = Math.max(1e-3, (Date.now() - started) / 1000);
    return { count: fmt(count), all: fmt(total), rate: fmt(count / secs), elapsed: secs.toFixed(1), detail };
  };
  bar.start(Math.max(total, 1), 0, payload());
  return {
    tick(n, d) {
      this.update(count + n, d);
    },
    update(c, d, t) {
      count = c;
      if (d !== undefined) detail = d;
      if (t !== undefined && t !== total) {
        total = t;
        bar.setTotal(Math.max(total, 1));
      }
      bar.update(Math.min(count, Math.max(total, count)), payload());
    },
    done() {
      bar.update(count, payload());
      bar.stop();
      if (!stream.isTTY) stream.write('\n');
      return (Date.now() - started) / 1000;
    },
  };
}

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
