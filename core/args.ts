import { parseArgs as parseNodeArgs } from 'node:util';
import { ValidationError } from './errors.ts';

export interface Flag {
  type: 'string' | 'boolean';
  /** One letter, e.g. `n` for `-n 5`; undeclared short flags are errors. */
  short?: string;
  default?: string | boolean;
  /** The value's name in the usage line (`--lines N`). */
  value?: string;
  required?: boolean;
  /** A short remark printed after the flag in the usage line. */
  note?: string;
}

/** A verb's whole command line, declared once: parsing and `--help` both read it. */
export interface ArgsSpec {
  /** Usage names in order; `[NAME]` is optional, `NAME` required, a last `NAME...` takes any number. Absent: none. */
  positionals?: readonly string[];
  options?: Readonly<Record<string, Flag>>;
  /** Printed after the flags in the usage line. */
  note?: string;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean | undefined>;
}

/** Strict: unknown flags, undeclared short flags, extra or missing positionals are ValidationErrors. */
export function parseArgs(argv: readonly string[], spec: ArgsSpec = {}): ParsedArgs {
  const options = spec.options ?? {};
  const names = spec.positionals ?? [];
  let parsed;
  try {
    parsed = parseNodeArgs({ args: [...argv], options, strict: true, allowPositionals: names.length > 0 });
  } catch (err) {
    throw explain(err, argv, spec);
  }
  const flags = parsed.values as ParsedArgs['flags'];
  for (const [name, f] of Object.entries(options))
    if (f.required && flags[name] === undefined)
      throw new ValidationError(`--${name} is required; usage: ${usageOf(spec)}`);
  const required = names.filter((n) => !n.startsWith('['));
  if (parsed.positionals.length < required.length)
    throw new ValidationError(
      `missing ${required.slice(parsed.positionals.length).join(' ')}; usage: ${usageOf(spec)}`,
    );
  if (parsed.positionals.length > names.length && !/\.\.\.\]?$/.test(names.at(-1) ?? ''))
    throw new ValidationError(`unexpected argument ${parsed.positionals[names.length]}; usage: ${usageOf(spec)}`);
  return { positionals: parsed.positionals, flags };
}

function explain(err: unknown, argv: readonly string[], spec: ArgsSpec): ValidationError {
  const code = (err as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const known = Object.keys(spec.options ?? {});
    const { tokens } = parseNodeArgs({ args: [...argv], strict: false, tokens: true });
    const unknown = tokens.find((t) => t.kind === 'option' && !(t.name in (spec.options ?? {})));
    const flag = unknown?.kind === 'option' ? unknown.rawName : '?';
    return new ValidationError(
      `unknown flag ${flag}; known: ${known.length ? known.map((k) => `--${k}`).join(', ') : 'none'}`,
      { cause: err },
    );
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const { positionals } = parseNodeArgs({ args: [...argv], options: spec.options, strict: false });
    return new ValidationError(`unexpected argument ${positionals[0] ?? '?'}; usage: ${usageOf(spec)}`, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ValidationError(`${message.split('.')[0]}; usage: ${usageOf(spec)}`, { cause: err });
}

/** The usage line after `npm run AREA -- VERB`, written from the declaration. */
export function usageOf(spec: ArgsSpec = {}): string {
  const flags = Object.entries(spec.options ?? {}).map(([name, f]) => {
    const names = f.short ? `-${f.short}|--${name}` : `--${name}`;
    const value = f.type === 'string' ? ` ${f.value ?? 'VALUE'}${f.default !== undefined ? `=${f.default}` : ''}` : '';
    const text = `${names}${value}${f.note ? ` (${f.note})` : ''}`;
    return f.required ? text : `[${text}]`;
  });
  return [...(spec.positionals ?? []), ...flags, ...(spec.note ? [spec.note] : [])].join(' ');
}

function rawFlag(args: ParsedArgs, name: string): string {
  const raw = args.flags[name];
  if (raw === undefined) throw new ValidationError(`--${name} is required`);
  if (typeof raw !== 'string') throw new ValidationError(`--${name} needs a value`);
  return raw;
}

/** The flag as an integer >= min; its default comes from the declaration, so absence is an error. */
export function intFlag(args: ParsedArgs, name: string, { min = 0 }: { min?: number } = {}): number {
  const raw = rawFlag(args, name);
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min)
    throw new ValidationError(`--${name} must be an integer >= ${min}, got ${raw}`);
  return n;
}

export function numberFlag(args: ParsedArgs, name: string, { min = 0 }: { min?: number } = {}): number {
  const raw = rawFlag(args, name);
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min)
    throw new ValidationError(`--${name} must be a number >= ${min}, got ${raw}`);
  return n;
}

/** For flags without a default: undefined when absent. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const raw = args.flags[name];
  return raw === undefined ? undefined : rawFlag(args, name);
}

export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true;
}
