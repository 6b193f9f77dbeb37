import { describe, expect, it } from 'vitest';
import type { ConnectorStatus } from './connector.ts';
import { failedOnPurgedBinlog } from './resnapshot.ts';

const status = (state: string, trace?: string): ConnectorStatus => ({
  name: 'shop-cdc',
  connector: { state: 'RUNNING' },
  tasks: [{ id: 0, state, trace }],
});

describe('a connector failed on a purged binlog', () => {
  it('is recognised from the task trace (MariaDB 1236 on a GTID or a file position)', () => {
    const gtid =
      'org.apache.kafka.connect.errors.ConnectException: An exception occurred in the change event producer.\n' +
      'Caused by: io.debezium.DebeziumException: Could not find GTID state requested by slave in any binlog files. ' +
      'Probably the slave state is too old and required binlog files have been purged. Error code: 1236; SQLSTATE: HY000.';
    expect(failedOnPurgedBinlog(status('FAILED', gtid))).toBe(true);
    expect(
      failedOnPurgedBinlog(
        status(
          'FAILED',
          'The connector is trying to read binlog starting at x, but this is no longer available on the server.',
        ),
      ),
    ).toBe(true);
  });

  it('is not any other failure, nor a running task', () => {
    expect(failedOnPurgedBinlog(status('FAILED', 'java.sql.SQLException: Access denied'))).toBe(false);
    expect(failedOnPurgedBinlog(status('RUNNING', 'Error code: 1236'))).toBe(false);
  });
});
