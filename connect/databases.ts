import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../core/errors.ts';

/**
 * connect/databases.json: the one list of databases and accounts that both the local stack and
 * docker-compose's db-init create, so a database a later part needs is added in one place.
 */
export type Role = 'app' | 'debezium';

export interface Grant {
  privileges: string[];
  /** `{db}`-templated database name; `%` is a wildcard, `_` is literal; `*` is every database. */
  on: string;
}

export interface DatabaseList {
  databases: string[];
  users: { role: Role; grants: Grant[] }[];
}

export interface Accounts {
  /** DB_NAME: what `{db}` stands for. */
  database: string;
  users: Record<Role, { user: string; password: string }>;
}

/** One statement for mysql2's `query(sql, params)`: users and passwords travel as escaped parameters. */
export interface Statement {
  sql: string;
  params: string[];
}

export function loadDatabaseList(root: string): DatabaseList {
  const file = join(root, 'connect', 'databases.json');
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<DatabaseList>;
  if (!Array.isArray(raw.databases) || !Array.isArray(raw.users)) {
    throw new ValidationError(`${file} needs "databases" and "users" arrays`);
  }
  return { databases: raw.databases, users: raw.users };
}

// Names end up inside backticks, so only characters that cannot close them are accepted.
const NAME = /^[A-Za-z0-9_]+$/;
const PATTERN = /^[A-Za-z0-9_%]+$/;
const PRIVILEGE = /^[A-Z]+( [A-Z]+)*$/;
// What .env.example holds until a real secret replaces it: never a password to apply.
const PLACEHOLDER = '__generate__';

const expand = (template: string, db: string) => template.replaceAll('{db}', db);

function databaseName(template: string, db: string): string {
  const name = expand(template, db);
  if (!NAME.test(name))
    throw new ValidationError(`database name ${JSON.stringify(name)} may hold only letters, digits and _`);
  return name;
}

/** `shop_features%` -> `shop\_features%`.*: in GRANT a bare `_` would match any character. */
export function grantTarget(on: string, db: string): string {
  if (on === '*') return '*.*';
  const pattern = expand(on, db);
  if (!PATTERN.test(pattern))
    throw new ValidationError(`grant target ${JSON.stringify(pattern)} may hold only letters, digits, _ and %`);
  return `\`${pattern.replaceAll('_', '\\_')}\`.*`;
}

function account(accounts: Accounts, role: Role): { user: string; password: string } {
  const a = accounts.users[role];
  if (!a?.user) throw new ValidationError(`no user name for role ${role}`);
  if (!a.password || a.password === PLACEHOLDER) {
    throw new ValidationError(
      `the ${role} user ${a.user} has no password: set it in .env (no value may stay ${PLACEHOLDER})`,
    );
  }
  return a;
}

/**
 * Idempotent: run on every start, so a password changed in .env is applied to an existing
 * data dir too (ALTER USER after CREATE USER IF NOT EXISTS).
 */
export function bootstrapStatements(list: DatabaseList, accounts: Accounts): Statement[] {
  const db = accounts.database;
  const out: Statement[] = list.databases.map((d) => ({
    sql: `CREATE DATABASE IF NOT EXISTS \`${databaseName(d, db)}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    params: [],
  }));
  for (const { role, grants } of list.users) {
    const { user, password } = account(accounts, role);
    out.push({ sql: `CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?`, params: [user, password] });
    out.push({ sql: `ALTER USER ?@'%' IDENTIFIED BY ?`, params: [user, password] });
    for (const g of grants) {
      const bad = g.privileges.find((p) => !PRIVILEGE.test(p));
      if (bad !== undefined || g.privileges.length === 0)
        throw new ValidationError(`bad privilege list for ${role}: ${JSON.stringify(g.privileges)}`);
      out.push({ sql: `GRANT ${g.privileges.join(', ')} ON ${grantTarget(g.on, db)} TO ?@'%'`, params: [user] });
    }
  }
  return out;
}

/** Anything with mysql2's `query`: a connection or a pool. */
export interface Queryable {
  query(sql: string, params: string[]): Promise<unknown>;
}

export async function applyStatements(conn: Queryable, statements: Statement[]): Promise<void> {
  for (const s of statements) await conn.query(s.sql, s.params);
}
