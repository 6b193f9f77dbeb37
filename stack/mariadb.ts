import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { AppError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { createPool } from '../prisma/db/pool.ts';
import { migrate } from '../prisma/db/migrate.ts';
import { applyStatements, bootstrapStatements, loadDatabaseList } from '../connect/databases.ts';
import { startDetached, logFile, type ManagedProcess } from './processes.ts';
import { stackPaths, type StackSettings } from './settings.ts';
import { waitFor } from '../core/wait-for.ts';

const run = promisify(execFile);

export function mariadbProcess(s: StackSettings): ManagedProcess {
  const p = stackPaths(s);
  return { name: 'mariadb', runDir: p.run, logDir: p.logs, marker: p.mariadbData };
}

function binary(name: string): string {
  for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin']) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  throw new AppError(`${name} not found: install Debian's mariadb-server (bash .ci/install does)`);
}

async function ensureDataDir(s: StackSettings, logger: Logger): Promise<void> {
  const { mariadbData } = stackPaths(s);
  if (existsSync(join(mariadbData, 'mysql'))) return;
  mkdirSync(mariadbData, { recursive: true });
  logger.info('initialising MariaDB data dir', { dir: mariadbData });
  await run(binary('mariadb-install-db'), [
    '--no-defaults',
    '--user=root',
    `--datadir=${mariadbData}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
  ]);
}

const generationFile = (s: StackSettings) => join(stackPaths(s).mariadbData, '..', 'binlog-generation');

/**
 * The source epoch the stack records: the binlog's base name carries it (`mariadb-bin-g2`), so
 * every change Debezium reads, snapshot reads included, names its epoch (see the feature store's
 * position.ts). 0 (plain `mariadb-bin`) until a restore or reset starts a new one.
 */
export function binlogGeneration(s: StackSettings): number {
  const f = generationFile(s);
  return existsSync(f) ? Number(readFileSync(f, 'utf8').trim()) || 0 : 0;
}

export const binlogBaseName = (generation: number) => (generation > 0 ? `mariadb-bin-g${generation}` : 'mariadb-bin');

/**
 * Starts a new source epoch, taking effect at MariaDB's next start: do it with MariaDB stopped,
 * after restoring a backup or before anything that restarts the binlog, then re-snapshot the
 * connector (its offsets point into the old binlog).
 */
export function newBinlogGeneration(s: StackSettings): number {
  const next = binlogGeneration(s) + 1;
  mkdirSync(dirname(generationFile(s)), { recursive: true });
  writeFileSync(generationFile(s), `${next}\n`);
  return next;
}

/** Starts mariadbd with what Debezium needs: a server id and a full-row binlog. */
export async function startMariadb(s: StackSettings, logger: Logger): Promise<void> {
  await ensureDataDir(s, logger);
  const p = stackPaths(s);
  mkdirSync(p.run, { recursive: true });
  startDetached(mariadbProcess(s), {
    command: binary('mariadbd'),
    args: [
      '--no-defaults',
      '--user=root',
      `--datadir=${p.mariadbData}`,
      `--socket=${p.mariadbSocket}`,
      `--port=${s.db.port}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      `--pid-file=${join(p.run, 'mariadbd.pid')}`,
      '--server-id=1',
      `--log-bin=${binlogBaseName(binlogGeneration(s))}`,
      '--binlog-format=ROW',
      '--binlog-row-image=FULL',
      '--expire-logs-days=7',
      '--default-time-zone=+00:00',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
      '--innodb-buffer-pool-size=512M',
      '--max-connections=500',
    ],
  });
}

/** Root over the unix socket: root has no TCP account, so only this machine's root can administer. */
export async function rootConnection(s: StackSettings): Promise<mysql.Connection> {
  const socketPath = stackPaths(s).mariadbSocket;
  try {
    return await mysql.createConnection({
      socketPath,
      user: 'root',
      password: s.db.rootPassword,
      multipleStatements: true,
    });
  } catch (err) {
    // A fresh data dir has a root without password; the bootstrap sets it.
    if ((err as { code?: string }).code !== 'ER_ACCESS_DENIED_ERROR') throw err;
    return mysql.createConnection({ socketPath, user: 'root', password: '', multipleStatements: true });
  }
}

/**
 * Makes sure the binlog holds a GTID. On a binlog that has none yet (a new source epoch, right
 * after `RESET MASTER`), Debezium 3.2 snapshots and then dies starting to stream: its binlog client
 * dereferences the empty GTID set (debezium/dbz#1378). One logged write on a table of the stack's
 * own gives the server a GTID position to stream from.
 */
export async function ensureBinlogGtid(s: StackSettings): Promise<void> {
  const conn = await rootConnection(s);
  try {
    const [rows] = await conn.query('SELECT @@gtid_binlog_pos AS pos');
    if ((rows as { pos: string }[])[0]?.pos) return;
    await conn.query(
      'CREATE DATABASE IF NOT EXISTS stack_meta; ' +
        'CREATE TABLE IF NOT EXISTS stack_meta.binlog_primer (id TINYINT PRIMARY KEY, at TIMESTAMP(6) NOT NULL); ' +
        'REPLACE INTO stack_meta.binlog_primer VALUES (1, NOW(6))',
    );
  } finally {
    await conn.end();
  }
}

export async function waitForMariadb(s: StackSettings, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    async () => {
      const conn = await rootConnection(s);
      await conn.end();
      return true;
    },
    { timeoutMs, what: `MariaDB on port ${s.db.port} (log: ${logFile(mariadbProcess(s))})` },
  );
}

/**
 * mariadb-install-db also creates root@127.0.0.1, root@::1 and root@<hostname> with no password (and,
 * on some versions, anonymous users): each would let anyone on this machine in as root over TCP.
 * Only root@localhost (the unix socket) stays.
 */
async function dropBootstrapAccounts(conn: mysql.Connection): Promise<void> {
  const [rows] = await conn.query(
    `SELECT User AS user, Host AS host FROM mysql.user WHERE (User = 'root' AND Host <> 'localhost') OR User = ''`,
  );
  for (const { user, host } of rows as { user: string; host: string }[]) {
    await conn.query('DROP USER ?@?', [user, host]);
  }
}

/** Idempotent: database, least-privilege users (passwords synced from .env), migrations. */
export async function bootstrapMariadb(s: StackSettings, logger: Logger): Promise<string[]> {
  const conn = await rootConnection(s);
  const { database: dbName, appUser, appPassword, debeziumUser, debeziumPassword } = s.db;
  try {
    await conn.query('ALTER USER root@localhost IDENTIFIED BY ?', [s.db.rootPassword]);
    await dropBootstrapAccounts(conn);
    // The same list (connect/databases.json) that docker-compose's db-init applies.
    const statements = bootstrapStatements(loadDatabaseList(s.root), {
      database: dbName,
      users: {
        app: { user: appUser, password: appPassword },
        debezium: { user: debeziumUser, password: debeziumPassword },
      },
    });
    await applyStatements(conn, statements);
  } finally {
    await conn.end();
  }
  const pool = createPool({
    host: '127.0.0.1',
    port: s.db.port,
    user: appUser,
    password: appPassword,
    database: dbName,
  });
  try {
    return await migrate({ pool, migrationsDir: join(s.root, 'prisma/migrations'), logger });
  } finally {
    await pool.end();
  }
}
