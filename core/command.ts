import type { ArgsSpec, ParsedArgs } from './args.ts';
import type { AppConfig } from './config/app-config.ts';
import type { Logger } from './logger.ts';

/** What every `npm run <area> -- <verb>` handler receives; built once in main.ts. */
export interface CommandContext {
  config: AppConfig;
  /** The process env merged with .env, for areas whose processes parse their own config. */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Repository root (where package.json lives). */
  root: string;
  /** Human-readable output (tables, progress); logs go to the logger. */
  out: (line: string) => void;
}

export interface Verb {
  summary: string;
  /** Flags and positionals; the dispatcher parses strictly against it and prints `--help` from it. */
  args?: ArgsSpec;
  run(args: ParsedArgs, ctx: CommandContext): Promise<number | void>;
}

export interface Area {
  name: string;
  summary: string;
  verbs: Record<string, Verb>;
}
