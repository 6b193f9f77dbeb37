import type { ArgsSpec, ParsedArgs } from '../core/args.ts';
import type { CommandContext } from '../core/command.ts';

/** Figures a benchmark reports; printed readably, then as one JSON line. */
export type Figures = Record<string, number | string | boolean | null>;

export interface Benchmark {
  name: string;
  summary: string;
  args?: ArgsSpec;
  /** Prints readable lines through ctx.out as it goes; returns the figures for the JSON line. */
  run(args: ParsedArgs, ctx: CommandContext): Promise<Figures>;
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[idx]!;
}
