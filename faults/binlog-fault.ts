import { createConnectClient, isRunning } from '../connect/connector.ts';
import { failedOnPurgedBinlog, resnapshot } from '../connect/resnapshot.ts';
import { createKafka } from '../core/kafka.ts';
import { waitFor } from '../core/wait-for.ts';
import { connectProcess, startConnect, waitForConnect } from '../stack/connect.ts';
import { rootConnection } from '../stack/mariadb.ts';
import { stopProcess } from '../stack/processes.ts';
import { connectUrl } from '../stack/settings.ts';
import type { Fault } from './catalog.ts';
import type { SystemUnderTest } from './system.ts';

type Row = Record<string, unknown>;

/** Messages the connector has written to its topics so far (the sum of their end offsets). */
async function topicEnds(sys: SystemUnderTest): Promise<number> {
  const admin = createKafka({ clientId: 'faults-purge', brokers: sys.features.brokers }).admin();
  await admin.connect();
  try {
    let n = 0;
    for (const t of Object.values(sys.cdc.topics))
      for (const o of await admin.fetchTopicOffsets(t.name)) n += Number(o.high);
    return n;
  } finally {
    await admin.disconnect();
  }
}

async function binlogFiles(sys: SystemUnderTest): Promise<string[]> {
  const conn = await rootConnection(sys.stack);
  try {
    const [rows] = await conn.query('SHOW BINARY LOGS');
    return (rows as Row[]).map((r) => String(r.Log_name));
  } finally {
    await conn.end();
  }
}

/**
 * Rotates the binlog and purges every file before the new one, so whatever position the stopped
 * connector stored is gone from the server. Returns the files purged.
 */
async function purgeAll(sys: SystemUnderTest): Promise<string[]> {
  const conn = await rootConnection(sys.stack);
  try {
    const before = await binlogFiles(sys);
    await conn.query('FLUSH BINARY LOGS');
    const [status] = await conn.query('SHOW MASTER STATUS');
    const current = String((status as Row[])[0]!.File);
    await conn.query('PURGE BINARY LOGS TO ?', [current]);
    const after = new Set(await binlogFiles(sys));
    const purged = before.filter((f) => !after.has(f));
    if (!purged.length) throw new Error(`nothing purged (binlog files: ${[...after].join(', ')})`);
    return purged;
  } finally {
    await conn.end();
  }
}

/**
 * The connector's stored binlog position purged while Connect is down. On start its task fails
 * (MariaDB 1236); the operator's runbook (README, "The fault suite") is then a re-snapshot: stop
 * the connector, reset its offsets, resume. `snapshot.mode=initial` re-reads every row, so inserts
 * and updates made in the gap come back as reads; deletes made in the gap do not.
 */
export function purgeBinlogFault(): Fault {
  return {
    name: 'purge-binlog',
    summary: 'stop Connect, keep writing, FLUSH + PURGE BINARY LOGS past its position, start Connect (re-snapshot)',
    inject: async (sys) => void (await stopProcess(connectProcess(sys.stack))),
    async heal(sys) {
      try {
        // The server keeps a file a binlog dump thread still holds: the stopped worker's thread
        // can outlive its process for a moment, so the purge is tried until it takes.
        await waitFor(async () => (await purgeAll(sys)).length > 0, {
          timeoutMs: 30_000,
          intervalMs: 500,
          what: 'the binlog purge',
        });
      } finally {
        // Whatever the purge did, Connect comes back: the faults after this one need it.
        startConnect(sys.stack);
        await waitForConnect(sys.stack);
      }
      const client = createConnectClient({ url: connectUrl(sys.stack) });
      // Until the connector fails on the purge, or streams: the load keeps writing, so its topics
      // grow. (Its REST status is no sign: right after the restart it is the last one recorded.)
      const produced = () => topicEnds(sys);
      const before = await produced();
      const failed = await waitFor(
        async () => {
          if (failedOnPurgedBinlog(await client.status(sys.cdc.name))) return 'purged';
          return (await produced()) > before ? 'streaming' : false;
        },
        {
          timeoutMs: 180_000,
          intervalMs: 500,
          what: `connector ${sys.cdc.name} to stream or fail on the purged binlog`,
        },
      );
      if (failed === 'purged') await resnapshot(client, sys.cdc.name);
    },
    async recovered(sys) {
      return isRunning(await createConnectClient({ url: connectUrl(sys.stack) }).status(sys.cdc.name));
    },
  };
}
