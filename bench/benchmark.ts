import type { CommandContext } from '../cli/command.ts';

/** Figures a benchmark reports; printed readably, then as one JSON line. */
export type Figures = Record<string, number | string | boolean | null>;

export interface Benchmark {
  name: string;
  summary: string;
  usage?: string;
  /** Prints readable lines through ctx.out as it goes; returns the figures for the JSON line. */
  run(argv: string[], ctx: CommandContext): Promise<Figures>;
}

/** Peak resident memory of this process so far, in MiB (Linux: VmHWM). */
export async function peakRssMiB(pid: number | 'self' = 'self'): Promise<number | null> {
  const { readFile } = await import('node:fs/promises');
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[idx]!;
}
