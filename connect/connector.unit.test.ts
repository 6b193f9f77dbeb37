import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError, NotFoundError, TransientError, ValidationError } from '../core/errors.ts';
import { createConnectClient, forScenario, isRunning, loadConnector } from './connector.ts';

const root = join(import.meta.dirname, '..');

describe('connector config', () => {
  const base = loadConnector(root);

  it('streams the shop tables with the settings the decoders rely on', () => {
    expect(base.config).toMatchObject({
      'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
      'topic.prefix': 'cdc',
      'decimal.handling.mode': 'string',
      'tombstones.on.delete': 'true',
    });
    expect(Number(base.config['poll.interval.ms'])).toBeLessThanOrEqual(100);
    expect(base.config['database.password']).toBe('${env:DEBEZIUM_DB_PASSWORD}');
  });

  it('points the same connector at another database and prefix', () => {
    const s = forScenario(base, { name: 'cdc_x', database: 't_ab12', topicPrefix: 'tx', serverId: 4242 });
    expect(s.name).toBe('cdc_x');
    expect(s.config['database.include.list']).toBe('t_ab12');
    expect(s.config['table.include.list']).toBe('t_ab12\\.(users|categories|products|orders|order_items)');
    expect(s.config['topic.prefix']).toBe('tx');
    expect(s.config['database.server.id']).toBe('4242');
    expect(s.config['schema.history.internal.kafka.topic']).toBe('_schema-history.cdc_x');
    expect(base.config['topic.prefix']).toBe('cdc');
  });
});

describe('connector status', () => {
  const st = (c: string, ...tasks: string[]) => ({
    name: 'n',
    connector: { state: c },
    tasks: tasks.map((state, id) => ({ id, state, trace: 'java.lang.X: boom\n\tat y' })),
  });
  it('is running only when the connector and all tasks run', () => {
    expect(isRunning(st('RUNNING', 'RUNNING'))).toBe(true);
    expect(isRunning(st('RUNNING'))).toBe(false);
    expect(isRunning(st('UNASSIGNED', 'RUNNING'))).toBe(false);
  });
  it('turns a failed task into an error carrying the first trace line', () => {
    expect(() => isRunning(st('RUNNING', 'FAILED'))).toThrow(/connector n failed: java.lang.X: boom/);
    expect(() => isRunning(st('RUNNING', 'FAILED'))).toThrow(AppError);
  });
});

describe('connect REST client errors', () => {
  const client = (status: number) =>
    createConnectClient({
      url: 'http://connect',
      fetch: (async () => new Response('{"message":"m"}', { status })) as typeof fetch,
    });
  it('maps status codes onto the error tree', async () => {
    await expect(client(404).status('x')).rejects.toBeInstanceOf(NotFoundError);
    await expect(client(409).put({ name: 'x', config: {} })).rejects.toBeInstanceOf(TransientError);
    await expect(client(503).list()).rejects.toBeInstanceOf(TransientError);
    await expect(client(400).put({ name: 'x', config: {} })).rejects.toBeInstanceOf(ValidationError);
  });
  it('treats an unreachable worker as transient', async () => {
    const c = createConnectClient({
      url: 'http://connect',
      fetch: (async () => {
        throw new TypeError('fetch failed');
      }) as typeof fetch,
    });
    await expect(c.list()).rejects.toBeInstanceOf(TransientError);
  });
});

describe('the MySQL variant used by docker-compose', () => {
  it('differs from the MariaDB connector only in the documented ways', () => {
    const maria = loadConnector(root);
    const mysql = loadConnector(root, 'shop-cdc.mysql.json');
    // MySQL 8.4 creates users with caching_sha2_password, whose first login needs TLS or the
    // server's RSA key; Debezium's JDBC connection does not allow key retrieval, and MySQL makes
    // its own certificates, so the MySQL side asks for TLS when offered. MariaDB's connector
    // spells its modes differently and the local stack's server has no certificate.
    expect(mysql.config).toEqual({
      ...maria.config,
      'connector.class': 'io.debezium.connector.mysql.MySqlConnector',
      'database.ssl.mode': 'preferred',
    });
    expect(maria.config['database.ssl.mode']).toBe('disable');
    expect(mysql.name).toBe(maria.name);
  });
});
