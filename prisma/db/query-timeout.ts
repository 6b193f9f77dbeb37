import type mysql from 'mysql2/promise';

type Callback = (err: { code?: string } | null, ...rest: unknown[]) => unknown;
type CoreQuery = (sql: unknown, values?: unknown, cb?: unknown) => unknown;
interface CoreConnection {
  query: CoreQuery;
  execute: CoreQuery;
  destroy(): void;
}
/** mysql2's Query command, which pool.query builds before it has a connection. */
interface QueryCommand {
  timeout?: number;
  onResult?: Callback;
}

const TIMEOUT = 'PROTOCOL_SEQUENCE_TIMEOUT';
const isPlainOptions = (sql: unknown): sql is { sql: string; timeout?: number } =>
  typeof sql === 'object' && sql !== null && Object.getPrototypeOf(sql) === Object.prototype;
const isCommand = (sql: unknown): sql is QueryCommand => typeof sql === 'object' && sql !== null && 'onResult' in sql;

/** The statement with a timeout, unless it has one; a timed-out connection is destroyed. */
function armed(sql: unknown, timeoutMs: number, conn: CoreConnection): unknown {
  if (typeof sql === 'string') return { sql, timeout: timeoutMs };
  if (isPlainOptions(sql)) return sql.timeout === undefined ? { ...sql, timeout: timeoutMs } : sql;
  if (isCommand(sql) && sql.timeout === undefined) {
    sql.timeout = timeoutMs;
    const onResult = sql.onResult;
    if (onResult)
      sql.onResult = (err, ...rest) => {
        if (err?.code === TIMEOUT) conn.destroy();
        return onResult.call(sql, err, ...rest);
      };
  }
  return sql;
}

/**
 * Gives every statement on the pool's connections a client-side timeout (mysql2 has one per
 * query, no default), so a store that hangs instead of refusing fails the statement with
 * PROTOCOL_SEQUENCE_TIMEOUT (transient) rather than blocking forever. The timed-out connection
 * is destroyed: its protocol state is unknown, it must not go back to the pool.
 */
export function applyQueryTimeout(pool: mysql.Pool, timeoutMs: number): void {
  const core = (pool as unknown as { pool: { on(ev: 'connection', fn: (c: CoreConnection) => void): void } }).pool;
  core.on('connection', (conn) => {
    for (const method of ['query', 'execute'] as const) {
      const original = conn[method].bind(conn);
      conn[method] = (sql, values, cb) => {
        // The promise wrapper calls query(sql, cb) when there are no values.
        if (typeof values === 'function') [values, cb] = [undefined, values];
        const done =
          typeof cb === 'function'
            ? (err: { code?: string } | null, ...rest: unknown[]) => {
                if (err?.code === TIMEOUT) conn.destroy();
                return (cb as Callback)(err, ...rest);
              }
            : cb;
        return original(armed(sql, timeoutMs, conn), values, done);
      };
    }
  });
}
