/**
 * The project's one error tree. Callers branch on the class, never on messages:
 * - ValidationError: the input is wrong; retrying cannot help (DLQ it, answer 4xx).
 * - NotFoundError: a referenced thing does not exist (answer 404, DLQ if it never will).
 * - TransientError: the world is briefly unavailable (database down, broker moving);
 *   retry with backoff, never skip.
 */
export class AppError extends Error {
  readonly retriable: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  /** Where in the input the problem is (a field path, a file:line). */
  readonly path?: string;
  constructor(message: string, options?: { cause?: unknown; path?: string }) {
    super(message, options);
    this.path = options?.path;
  }
}

export class NotFoundError extends AppError {}

export class TransientError extends AppError {
  override readonly retriable = true;
}

/**
 * The process cannot go on without an operator (a dropped table, a revoked grant, an unknown
 * failure): stop loudly, commit nothing, and let the supervisor restart it. Never dead-lettered.
 */
export class FatalError extends AppError {}

/** Network and server-availability failures from mysql2, kafkajs and fetch look like this. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
  'ER_QUERY_TIMEOUT',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  // The store is read-only for a while (maintenance, a failover in progress): wait, never skip.
  'ER_OPTION_PREVENTS_STATEMENT',
  'ER_READ_ONLY_MODE',
  // Resources run out and come back: disk, memory, locks, connections.
  'ER_DISK_FULL',
  'ER_RECORD_FILE_FULL',
  'ER_OUT_OF_RESOURCES',
  'ER_OUTOFMEMORY',
  'ER_LOCK_TABLE_FULL',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_USER_LIMIT_REACHED',
  'ENOSPC',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * MariaDB-only server errors by number: mysql2's code table is MySQL's, where these numbers
 * mean something else or nothing (1927 ER_CONNECTION_KILLED, 1969 ER_STATEMENT_TIMEOUT).
 */
const TRANSIENT_MARIADB_ERRNOS = new Set([1927, 1969]);

export function isRetriable(err: unknown): boolean {
  if (err instanceof AppError) return err.retriable;
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; errno?: unknown; retriable?: unknown; cause?: unknown };
  if (e.retriable === true) return true;
  if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
  if (typeof e.errno === 'number' && isServerError(e) && TRANSIENT_MARIADB_ERRNOS.has(e.errno)) return true;
  return e.cause !== undefined && e.cause !== err ? isRetriable(e.cause) : false;
}

/** Wraps an unknown failure into the tree, keeping the original as `cause`. */
export function classify(err: unknown, context: string): AppError {
  if (err instanceof AppError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return isRetriable(err)
    ? new TransientError(`${context}: ${detail}`, { cause: err })
    : new AppError(`${context}: ${detail}`, { cause: err });
}

/** A server error from mysql2 carries its SQLSTATE; a Node system error has a negative errno and none. */
export function isServerError(e: object): boolean {
  return typeof (e as { sqlState?: unknown }).sqlState === 'string';
}
