/**
 * One line per epoch: redrawn in place while the epoch runs when the stream is a terminal,
 * and only the final line otherwise (CI logs and pipes stay readable).
 */
export interface ProgressBar {
  update(fraction: number, detail: string): void;
  finish(line: string): void;
}

export function createProgressBar(deps: {
  out: (line: string) => void;
  tty?: { write(s: string): unknown; isTTY?: boolean };
  width?: number;
}): ProgressBar {
  const width = deps.width ?? 30;
  const tty = deps.tty?.isTTY ? deps.tty : null;
  let last = 0;
  return {
    update(fraction, detail) {
      const now = Date.now();
      // Redrawing is cheap but not free; 10 frames a second is plenty for a human.
      if (!tty || now - last < 100) return;
      last = now;
      const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
      tty.write(
        `\r[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${detail}\x1b[K`,
      );
    },
    finish(line) {
      if (tty) tty.write('\r\x1b[K');
      deps.out(line);
    },
  };
}
