import { pino, stdSerializers, stdTimeFunctions, type DestinationStream } from 'pino';

/** Structured JSON logs (pino), one object per line, to stderr so stdout stays for command output. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel | 'silent';
  base?: LogFields;
  /** Receives each record as one line without its newline; default: stderr, synchronously. */
  write?: (line: string) => void;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const write = opts.write;
  // Synchronous, so the last records before process.exit are not lost.
  const dest: DestinationStream = write
    ? { write: (line: string) => write(line.replace(/\n$/, '')) }
    : pino.destination({ dest: 2, sync: true });
  const root = pino(
    {
      level: opts.level ?? 'info',
      base: fieldsOf(opts.base ?? {}),
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    dest,
  );
  return wrap(root);
}

function wrap(p: pino.Logger): Logger {
  return {
    debug: (msg, fields) => p.debug(fieldsOf(fields), msg),
    info: (msg, fields) => p.info(fieldsOf(fields), msg),
    warn: (msg, fields) => p.warn(fieldsOf(fields), msg),
    error: (msg, fields) => p.error(fieldsOf(fields), msg),
    child: (fields) => wrap(p.child(fieldsOf(fields))),
  };
}

/** Keys the record itself owns; a field with one of these names is kept under `fields`. */
const RESERVED = new Set(['level', 'msg', 'time', 'fields']);

function fieldsOf(fields: LogFields | undefined): LogFields {
  const out: LogFields = {};
  const nested: LogFields = {};
  for (const [k, v] of Object.entries(fields ?? {})) (RESERVED.has(k) ? nested : out)[k] = serialize(v);
  if (Object.keys(nested).length) out.fields = nested;
  return out;
}

function serialize(value: unknown): unknown {
  return value instanceof Error ? errorRecord(value) : value;
}

/** pino's serializer: type, message, stack, own fields (code, errno), causes and AggregateError's errors. */
function errorRecord(err: Error): unknown {
  const record = stdSerializers.errWithCause(err) as Record<string, unknown>;
  // A cause that is not an Error is not enumerable, so the serializer does not see it.
  if (err.cause !== undefined && record.cause === undefined) record.cause = err.cause;
  return record;
}

/** For tests and quiet commands. */
export const silentLogger: Logger = createLogger({ level: 'silent' });
