import { describe, expect, inject, it } from 'vitest';
import mysql from 'mysql2/promise';
import { silentLogger } from '../core/logger.ts';
import { rootConnection } from './mariadb.ts';
import { stackStatus, stackUp } from './stack.ts';

describe('the local stack', () => {
  const s = inject('stack');

  it('reports every component healthy, with a ROW binlog', async () => {
    const status = await stackStatus(s);
    expect(status.map((c) => [c.component, c.healthy])).toEqual([
      ['mariadb', true],
      ['kafka', true],
      ['connect', true],
    ]);
    expect(status[0]!.detail).toMatch(/binlog ROW/);
    for (const c of status) expect(c.rssMiB).toBeGreaterThan(0);
  });

  it('up is idempotent: a second run starts nothing and keeps the same processes', async () => {
    const before = (await stackStatus(s)).map((c) => c.pid);
    const t0 = Date.now();
    await stackUp(s, silentLogger, { registerShopConnector: false });
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect((await stackStatus(s)).map((c) => c.pid)).toEqual(before);
  });

  it('runs MariaDB the way Debezium needs it', async () => {
    const conn = await rootConnection(s);
    const [rows] = await conn.query(
      'SELECT @@log_bin l, @@binlog_format f, @@binlog_row_image i, @@server_id id, @@time_zone tz',
    );
    await conn.end();
    expect((rows as object[])[0]).toEqual({ l: 1, f: 'ROW', i: 'FULL', id: 1, tz: '+00:00' });
  });

  it('gives Debezium replication grants only, and the app user only its database', async () => {
    const conn = await rootConnection(s);
    const [grants] = await conn.query(`SHOW GRANTS FOR ?@'%'`, [s.db.debeziumUser]);
    await conn.end();
    const text = (grants as Record<string, string>[]).map((g) => Object.values(g)[0]).join('\n');
    expect(text).toMatch(/GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR ON \*\.\*/);
    expect(text).not.toMatch(/INSERT|UPDATE|DELETE|ALL PRIVILEGES/);
    const app = await mysql.createConnection({
      host: '127.0.0.1',
      port: s.db.port,
      user: s.db.appUser,
      password: s.db.appPassword,
    });
    await expect(app.query('SELECT * FROM mysql.user')).rejects.toThrow(/denied/);
    await app.end();
  });

  it('refuses root over TCP, with or without the root password; only the unix socket admits root', async () => {
    for (const password of ['', s.db.rootPassword]) {
      await expect(
        mysql.createConnection({ host: '127.0.0.1', port: s.db.port, user: 'root', password }),
      ).rejects.toThrow(/denied|not allowed/i);
    }
    const conn = await rootConnection(s);
    const [rows] = await conn.query(
      `SELECT CONCAT(User, '@', Host) AS account FROM mysql.user WHERE User IN ('root', '')`,
    );
    await conn.end();
    expect((rows as { account: string }[]).map((r) => r.account)).toEqual(['root@localhost']);
  });
});
