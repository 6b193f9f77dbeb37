import { describe, expect, it } from 'vitest';
import { errorKind } from './error-kind.ts';
import { FatalError, TransientError, ValidationError } from './errors.ts';

/** What mysql2 throws for a server error: code from MySQL's table, the server's number, a SQLSTATE. */
const serverError = (code: string | undefined, errno: number) =>
  Object.assign(new Error(`server said ${errno}`), { code, errno, sqlState: 'HY000' });

describe('error kinds', () => {
  it('infrastructure failures are transient: read-only store, full disk, killed connection', () => {
    expect(errorKind(serverError('ER_OPTION_PREVENTS_STATEMENT', 1290))).toBe('transient');
    expect(errorKind(serverError('ER_READ_ONLY_MODE', 1836))).toBe('transient');
    expect(errorKind(serverError('ER_DISK_FULL', 1021))).toBe('transient');
    expect(errorKind(serverError('ER_RECORD_FILE_FULL', 1114))).toBe('transient');
    expect(errorKind(serverError(undefined, 1927))).toBe('transient');
    expect(errorKind(Object.assign(new Error('x'), { code: 'PROTOCOL_CONNECTION_LOST' }))).toBe('transient');
    expect(errorKind(new TransientError('down'))).toBe('transient');
  });
  it('a dropped table, a revoked grant or an unknown failure is fatal, never data', () => {
    expect(errorKind(serverError('ER_NO_SUCH_TABLE', 1146))).toBe('fatal');
    expect(errorKind(serverError('ER_TABLEACCESS_DENIED_ERROR', 1142))).toBe('fatal');
    expect(errorKind(serverError('ER_DBACCESS_DENIED_ERROR', 1044))).toBe('fatal');
    expect(errorKind(serverError('ER_BAD_FIELD_ERROR', 1054))).toBe('fatal');
    expect(errorKind(new TypeError('x is undefined'))).toBe('fatal');
    expect(errorKind(new FatalError('stop'))).toBe('fatal');
  });
  it('only errors caused by the values themselves are data errors', () => {
    expect(errorKind(serverError('ER_DUP_ENTRY', 1062))).toBe('data');
    expect(errorKind(serverError('ER_DATA_TOO_LONG', 1406))).toBe('data');
    expect(errorKind(serverError('ER_TRUNCATED_WRONG_VALUE', 1292))).toBe('data');
    expect(errorKind(serverError('ER_NO_REFERENCED_ROW_2', 1452))).toBe('data');
    expect(errorKind(serverError('ER_INNODB_AUTOEXTEND_SIZE_OUT_OF_RANGE', 4025))).toBe('data');
    expect(errorKind(new ValidationError('bad'))).toBe('data');
    expect(errorKind(new Error('wrapped', { cause: serverError('ER_DUP_ENTRY', 1062) }))).toBe('data');
  });
});
