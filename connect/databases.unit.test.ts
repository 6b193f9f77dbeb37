import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.ts';
import { applyStatements, bootstrapStatements, grantTarget, loadDatabaseList, type Accounts } from './databases.ts';

const root = join(import.meta.dirname, '..');
const accounts: Accounts = {
  database: 'shop',
  users: { app: { user: 'shop_app', password: "it's" }, debezium: { user: 'debezium', password: 'q' } },
};

describe('the shared database list', () => {
  const list = loadDatabaseList(root);
  const sql = bootstrapStatements(list, accounts);

  it('creates the shop and the feature store databases', () => {
    expect(sql.filter((s) => s.sql.startsWith('CREATE DATABASE')).map((s) => s.sql.split('`')[1])).toEqual([
      'shop',
      'shop_features',
    ]);
  });
  it('gives the app user everything on shop and on shop_features, replays included, and nothing global', () => {
    const app = sql.filter((s) => s.sql.startsWith('GRANT') && s.params[0] === 'shop_app').map((s) => s.sql);
    expect(app).toEqual([
      "GRANT ALL PRIVILEGES ON `shop`.* TO ?@'%'",
      "GRANT ALL PRIVILEGES ON `shop\\_features%`.* TO ?@'%'",
    ]);
  });
  it('gives Debezium only what the binlog reader and its snapshot need', () => {
    const dbz = sql.filter((s) => s.sql.startsWith('GRANT') && s.params[0] === 'debezium').map((s) => s.sql);
    expect(dbz).toEqual([
      "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO ?@'%'",
    ]);
  });
  it('sets passwords as parameters, on every run, never inside the SQL text', () => {
    const alter = sql.filter((s) => s.sql.startsWith('ALTER USER'));
    expect(alter.map((s) => s.params)).toEqual([
      ['shop_app', "it's"],
      ['debezium', 'q'],
    ]);
    expect(sql.some((s) => s.sql.includes("it's"))).toBe(false);
  });
  it('follows another DB_NAME', () => {
    const other = bootstrapStatements(list, { ...accounts, database: 'shop2' })
      .map((s) => s.sql)
      .join('\n');
    expect(other).toContain('`shop2_features`');
    expect(other).toContain('`shop2\\_features%`.*');
  });
});

describe('guards', () => {
  const list = {
    databases: ['{db}'],
    users: [{ role: 'app' as const, grants: [{ privileges: ['ALL PRIVILEGES'], on: '{db}' }] }],
  };
  it('refuses names that could close the backticks', () => {
    expect(() => bootstrapStatements(list, { ...accounts, database: 'x`; DROP' })).toThrow(ValidationError);
    expect(() => grantTarget('a`b', 'shop')).toThrow(ValidationError);
  });
  it('refuses an empty or placeholder password', () => {
    for (const password of ['', '__generate__']) {
      expect(() =>
        bootstrapStatements(list, { ...accounts, users: { ...accounts.users, app: { user: 'a', password } } }),
      ).toThrow(/has no password/);
    }
  });
  it('refuses a privilege that is not plain words', () => {
    const bad = { ...list, users: [{ role: 'app' as const, grants: [{ privileges: ['ALL; DROP'], on: '{db}' }] }] };
    expect(() => bootstrapStatements(bad, accounts)).toThrow(/bad privilege/);
  });
  it('runs the statements in order with their parameters', async () => {
    const seen: [string, string[]][] = [];
    await applyStatements(
      {
        query: async (s, p) => {
          seen.push([s, p]);
        },
      },
      bootstrapStatements(list, accounts),
    );
    expect(seen.map(([s]) => s.split(' ').slice(0, 2).join(' '))).toEqual([
      'CREATE DATABASE',
      'CREATE USER',
      'ALTER USER',
      'GRANT ALL',
    ]);
  });
});
