import { waitFor } from '../core/wait-for.ts';
import type { ConnectClient, ConnectorStatus } from './connector.ts';

/**
 * Whether a connector failed because the binlog position in its offsets is gone from the server
 * (MariaDB/MySQL error 1236: files purged, or a GTID state no file holds). Debezium 3.2's MariaDB
 * task does not take a new snapshot by itself, whatever `snapshot.mode` says (its
 * `validateSnapshotFeasibility` never asks whether the position is still there).
 */
export function failedOnPurgedBinlog(status: ConnectorStatus): boolean {
  const traces = [
    status.connector.trace ?? '',
    ...status.tasks.filter((t) => t.state === 'FAILED').map((t) => t.trace ?? ''),
  ];
  return traces.some((t) =>
    /Error code: 1236|binlog (files )?(have|has) been purged|no longer available on the server/i.test(t),
  );
}

/**
 * The way back after the binlog behind a connector's offsets was purged: stop it, forget its
 * offsets, resume. With no offsets the connector starts as a new one and `snapshot.mode=initial`
 * re-reads every captured row (as `op: r`), then streams from the snapshot's position.
 */
export async function resnapshot(client: ConnectClient, name: string, timeoutMs = 120_000): Promise<void> {
  await waitFor(
    async () => {
      await client.stop(name);
      return (await client.status(name)).connector.state === 'STOPPED';
    },
    { timeoutMs, intervalMs: 500, what: `connector ${name} STOPPED` },
  );
  await client.resetOffsets(name);
  await client.resume(name);
}
