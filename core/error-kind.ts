import { AppError, isRetriable, isServerError, ValidationError } from './errors.ts';

/**
 * What a failure says about the work that hit it:
 * - transient: the world is briefly unavailable; retry, never skip.
 * - data: this input can never be applied (bad values); dead-letter it.
 * - fatal: the process cannot go on (dropped table, revoked grant, an unknown failure); stop.
 */
export type ErrorKind = 'transient' | 'data' | 'fatal';

/** Server errors caused by the values of one statement: the same statement with other data would pass. */
const DATA_CODES = new Set([
  'ER_DUP_ENTRY',
  'ER_DUP_KEY',
  'ER_DATA_TOO_LONG',
  'ER_TRUNCATED_WRONG_VALUE',
  'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
  'ER_WARN_DATA_OUT_OF_RANGE',
  'ER_WARN_DATA_TRUNCATED',
  'ER_WARN_NULL_TO_NOTNULL',
  'ER_BAD_NULL_ERROR',
  'ER_NO_REFERENCED_ROW',
  'ER_NO_REFERENCED_ROW_2',
  'ER_ROW_IS_REFERENCED',
  'ER_ROW_IS_REFERENCED_2',
  'ER_DIVISION_BY_ZERO',
  'ER_INVALID_JSON_TEXT',
  'ER_CHECK_CONSTRAINT_VIOLATED',
  'ER_INVALID_CHARACTER_STRING',
]);
/** MariaDB-only numbers (mysql2's code table is MySQL's): 4025 ER_CONSTRAINT_FAILED, a CHECK constraint. */
const DATA_MARIADB_ERRNOS = new Set([4025]);

export function isDataError(err: unknown): boolean {
  if (err instanceof ValidationError) return true;
  if (err instanceof AppError) return err.cause !== undefined && err.cause !== err && isDataError(err.cause);
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; errno?: unknown; cause?: unknown };
  if (isServerError(e)) {
    if (typeof e.code === 'string' && DATA_CODES.has(e.code)) return true;
    if (typeof e.errno === 'number' && DATA_MARIADB_ERRNOS.has(e.errno)) return true;
    return false;
  }
  return e.cause !== undefined && e.cause !== err ? isDataError(e.cause) : false;
}

/** Unknown failures are fatal, not data: skipping good events is worse than stopping. */
export function errorKind(err: unknown): ErrorKind {
  if (isRetriable(err)) return 'transient';
  return isDataError(err) ? 'data' : 'fatal';
}

/** What groups failures as "the same error": the server's code or number, else the class name. */
export function errorSignature(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const e = err as { code?: unknown; errno?: unknown; name?: unknown };
  if (typeof e.code === 'string') return e.code;
  if (typeof e.errno === 'number') return `errno ${e.errno}`;
  return typeof e.name === 'string' ? e.name : 'unknown';
}
