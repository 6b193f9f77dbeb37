import { createConnectClient, isRunning } from '../connect/connector.ts';
import { connectProcess, startConnect, waitForConnect } from '../stack/connect.ts';
import { rootConnection } from '../stack/mariadb.ts';
import { stopProcess } from '../stack/processes.ts';
import { connectUrl } from '../stack/settings.ts';
import type { Fault } from './catalog.ts';
import type { SystemUnderTest } from './system.ts';

type Row = Record<string, unknown>;

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
 * The connector's stored binlog position purged while Connect is down. Its snapshot mode
 * (`when_needed`, connect/shop-cdc.json) makes it take a new snapshot on start instead of failing,
 * which re-reads every row (inserts and updates made in the gap come back as reads).
 */
export function purgeBinlogFault(): Fault {
  return {
    name: 'purge-binlog',
    summary: 'stop Connect, keep writing, FLUSH + PURGE BINARY LOGS past its position, start Connect (re-snapshot)',
    inject: async (sys) => void (await stopProcess(connectProcess(sys.stack))),
    async heal(sys) {
      await purgeAll(sys);
      startConnect(sys.stack);
      await waitForConnect(sys.stack);
    },
    async recovered(sys) {
      return isRunning(await createConnectClient({ url: connectUrl(sys.stack) }).status(sys.cdc.name));
    },
  };
}
