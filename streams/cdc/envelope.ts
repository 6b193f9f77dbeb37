import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';

/** Where a change was read in the binlog; (file, pos, row) orders changes within one server. */
export interface SourcePosition {
  /** When the change was committed at the database (second precision for the binlog). */
  ts: Date;
  db: string;
  table: string;
  file: string;
  pos: number;
  row: number;
  gtid: string | null;
  /** true for rows read by the initial snapshot rather than from the binlog. */
  snapshot: boolean;
}

export type ChangeEvent<Row> =
  | { kind: 'create' | 'read'; key: Record<string, unknown>; after: Row; source: SourcePosition; emittedAt: Date }
  | {
      kind: 'update';
      key: Record<string, unknown>;
      before: Row | null;
      after: Row;
      source: SourcePosition;
      emittedAt: Date;
    }
  | { kind: 'delete'; key: Record<string, unknown>; before: Row; source: SourcePosition; emittedAt: Date }
  /** Follows a delete so that log compaction can drop the key; carries no row. */
  | { kind: 'tombstone'; key: Record<string, unknown> };

export type DecodeResult<T> = { ok: true; event: T } | { ok: false; error: ValidationError };

const sourceSchema = z.object({
  ts_ms: z.number().int(),
  db: z.string(),
  table: z.string(),
  file: z.string(),
  pos: z.number().int(),
  row: z.number().int().default(0),
  gtid: z.string().nullable().optional(),
  snapshot: z.union([z.string(), z.boolean()]).optional(),
});

const envelopeSchema = z.object({
  op: z.enum(['c', 'u', 'd', 'r', 't', 'm']),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  source: sourceSchema,
  ts_ms: z.number().int(),
});

const KIND = { c: 'create', r: 'read', u: 'update', d: 'delete' } as const;

export interface RawMessage {
  key: Buffer | string | null;
  value: Buffer | string | null;
}

function parseJson(raw: Buffer | string, what: string): unknown {
  try {
    return JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch (cause) {
    throw new ValidationError(`${what} is not JSON`, { cause, path: what });
  }
}

function zodFailure(err: z.ZodError, where: string): ValidationError {
  const first = err.issues[0];
  const path = [where, ...(first?.path ?? [])].join('.');
  return new ValidationError(`${path}: ${first?.message ?? 'invalid'}`, { cause: err, path });
}

function toSource(s: z.output<typeof sourceSchema>): SourcePosition {
  return {
    ts: new Date(s.ts_ms),
    db: s.db,
    table: s.table,
    file: s.file,
    pos: s.pos,
    row: s.row,
    gtid: s.gtid ?? null,
    snapshot: s.snapshot !== undefined && s.snapshot !== 'false' && s.snapshot !== false,
  };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** The envelope checks of envelopeSchema without zod, for well-formed row changes only; undefined otherwise. */
function fastSource(s: unknown): SourcePosition | undefined {
  if (!isObj(s)) return undefined;
  const { ts_ms, db, table, file, pos, row, gtid, snapshot } = s;
  if (!isInt(ts_ms) || typeof db !== 'string' || typeof table !== 'string' || typeof file !== 'string')
    return undefined;
  if (!isInt(pos) || (row !== undefined && !isInt(row))) return undefined;
  if (gtid !== undefined && gtid !== null && typeof gtid !== 'string') return undefined;
  if (snapshot !== undefined && typeof snapshot !== 'string' && typeof snapshot !== 'boolean') return undefined;
  return toSource({ ts_ms, db, table, file, pos, row: row ?? 0, gtid, snapshot });
}

function fastChange<R>(fast: (v: unknown) => R | undefined, env: unknown, key: Record<string, unknown>) {
  if (!isObj(env) || !isInt(env.ts_ms)) return undefined;
  const { op } = env;
  const source = fastSource(env.source);
  if (!source || (op !== 'c' && op !== 'r' && op !== 'u' && op !== 'd')) return undefined;
  const common = { key, source, emittedAt: new Date(env.ts_ms) };
  if (op === 'd') {
    const before = fast(env.before);
    return before === undefined ? undefined : ({ kind: 'delete', ...common, before } as const);
  }
  const after = fast(env.after);
  if (after === undefined) return undefined;
  if (op !== 'u') return { kind: KIND[op], ...common, after } as const;
  const before = env.before == null ? null : fast(env.before);
  return before === undefined ? undefined : ({ kind: 'update', ...common, before, after } as const);
}

/**
 * Decodes one Debezium message into a typed change of `row`; never throws for bad input. With
 * `fast` (a twin of `row`, see fast-rows.ts), a well-formed change skips zod; anything the twin
 * does not accept is decoded again with zod, so errors read the same either way.
 */
export function decodeChange<S extends z.ZodType>(
  row: S,
  msg: RawMessage,
  fast?: (v: unknown) => z.output<S> | undefined,
): DecodeResult<ChangeEvent<z.output<S>>> {
  try {
    if (fast && msg.key !== null && msg.value !== null && msg.value.length > 0) {
      const key = JSON.parse(typeof msg.key === 'string' ? msg.key : msg.key.toString('utf8')) as unknown;
      const env = JSON.parse(typeof msg.value === 'string' ? msg.value : msg.value.toString('utf8')) as unknown;
      const event = isObj(key) ? fastChange(fast, env, key) : undefined;
      if (event) return { ok: true, event };
    }
  } catch {
    // Not JSON: the zod path below says so in its own words.
  }
  try {
    return { ok: true, event: decodeOrThrow(row, msg) };
  } catch (err) {
    if (err instanceof ValidationError) return { ok: false, error: err };
    return { ok: false, error: new ValidationError(`undecodable: ${String(err)}`, { cause: err }) };
  }
}

function decodeOrThrow<S extends z.ZodType>(row: S, msg: RawMessage): ChangeEvent<z.output<S>> {
  if (msg.key === null)
    throw new ValidationError('message has no key (Debezium keys every change by primary key)', { path: 'key' });
  const key = parseJson(msg.key, 'key');
  if (typeof key !== 'object' || key === null || Array.isArray(key))
    throw new ValidationError('key is not a JSON object', { path: 'key' });
  if (msg.value === null || (typeof msg.value !== 'string' && msg.value.length === 0)) {
    return { kind: 'tombstone', key: key as Record<string, unknown> };
  }
  const env = envelopeSchema.safeParse(parseJson(msg.value, 'value'));
  if (!env.success) throw zodFailure(env.error, 'value');
  const { op, source, ts_ms } = env.data;
  if (op === 't' || op === 'm') throw new ValidationError(`op "${op}" is not a row change`, { path: 'value.op' });
  const common = { key: key as Record<string, unknown>, source: toSource(source), emittedAt: new Date(ts_ms) };
  const parseRow = (v: unknown, side: 'before' | 'after') => {
    const r = row.safeParse(v);
    if (!r.success) throw zodFailure(r.error, `value.${side}`);
    return r.data as z.output<S>;
  };
  if (op === 'd') return { kind: 'delete', ...common, before: parseRow(env.data.before, 'before') };
  const after = parseRow(env.data.after, 'after');
  if (op === 'u') {
    const before = env.data.before == null ? null : parseRow(env.data.before, 'before');
    return { kind: 'update', ...common, before, after };
  }
  return { kind: KIND[op], ...common, after };
}
