/**
 * docker-compose's one-shot `db-init` service: applies connect/databases.json to MySQL as root on
 * every `docker compose up`, not only on the first start of the data dir as
 * /docker-entrypoint-initdb.d scripts do, so a password changed in .env reaches MySQL.
 */
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { applyStatements, bootstrapStatements, loadDatabaseList } from '../databases.ts';

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

const root = join(import.meta.dirname, '..', '..');
const statements = bootstrapStatements(loadDatabaseList(root), {
  database: process.env.DB_NAME || 'shop',
  users: {
    app: { user: process.env.DB_APP_USER || 'shop_app', password: required('DB_APP_PASSWORD') },
    debezium: { user: process.env.DEBEZIUM_DB_USER || 'debezium', password: required('DEBEZIUM_DB_PASSWORD') },
  },
});
const conn = await mysql.createConnection({
  host: process.env.DB_HOST || 'mysql',
  port: Number(process.env.DB_PORT || 3306),
  user: 'root',
  password: required('DB_ROOT_PASSWORD'),
});
try {
  await applyStatements(conn, statements);
  console.log(
    `db-init: ${statements.length} statements applied (databases, users, grants from connect/databases.json)`,
  );
} finally {
  await conn.end();
}
