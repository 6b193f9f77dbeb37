import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { workerProperties } from '../../stack/connect.ts';
import { kafkaProperties } from '../../stack/kafka.ts';
import type { StackSettings } from '../../stack/settings.ts';
import { loadConnector } from '../connector.ts';
import { loadDatabaseList } from '../databases.ts';

/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is checked against what the
 * local stack runs and against how the images read their environment (upstream sources named
 * beside each check).
 */
const root = join(import.meta.dirname, '..', '..');
type Service = {
  image?: string;
  build?: { context: string; target?: string };
  command?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string | number>;
  env_file?: unknown;
  depends_on?: Record<string, { condition: string }>;
};
const doc = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = doc.services;
const env = (name: string) =>
  Object.fromEntries(
    Object.entries(services[name]!.environment ?? {})
      // Compose writes a literal $ as $$.
      .map(([k, v]) => [k, String(v).replaceAll('$$', '$')]),
  );
const pomProperty = (name: string) => {
  const m = new RegExp(`<${name}>([^<]+)</${name}>`).exec(readFileSync(join(root, 'connect', 'pom.xml'), 'utf8'));
  if (!m) throw new Error(`connect/pom.xml has no <${name}>`);
  return m[1]!;
};
const s: StackSettings = {
  root: '/r',
  dir: '/r/.stack',
  jarsDir: '/c/jars',
  heap: '512m',
  db: {
    port: 3307,
    database: 'shop',
    rootPassword: 'r',
    appUser: 'a',
    appPassword: 'p',
    debeziumUser: 'd',
    debeziumPassword: 'q',
  },
  kafka: { port: 9092, controllerPort: 9093 },
  connect: { port: 8083 },
};
const props = (text: string) =>
  Object.fromEntries(
    text
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(/=(.*)/s).slice(0, 2)),
  );
const without = (o: Record<string, string>, keys: string[]) =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

describe('images', () => {
  const images = Object.entries(services).map(([name, svc]) => [name, svc.image ?? ''] as const);

  it('are pinned to exact versions, never a floating tag', () => {
    for (const [name, image] of images) {
      if (services[name]!.build) continue;
      expect(image, name).toMatch(/:\d+\.\d+\.\d+[\w.-]*$/);
    }
  });
  it('carry the Kafka and Debezium versions of connect/pom.xml, as the local stack does', () => {
    expect(services.kafka!.image).toBe(`apache/kafka:${pomProperty('kafka.version')}`);
    expect(services.connect!.image).toBe(`quay.io/debezium/connect:${pomProperty('debezium.version')}`);
  });
  it('build the project services from the Dockerfile targets that exist', () => {
    const targets = [...readFileSync(join(root, 'Dockerfile'), 'utf8').matchAll(/^FROM \S+ AS (\S+)$/gm)].map(
      (m) => m[1],
    );
    const built = Object.values(services).filter((svc) => svc.build);
    expect(built.length).toBeGreaterThanOrEqual(8);
    for (const svc of built) {
      expect(svc.build!.context).toBe('.');
      expect(targets).toContain(svc.build!.target);
    }
  });
});

describe('MySQL and its one list of databases', () => {
  it('runs with what Debezium needs, as the local MariaDB does', () => {
    expect(services.mysql!.command).toEqual(
      expect.arrayContaining([
        '--server-id=1',
        '--binlog-format=ROW',
        '--binlog-row-image=FULL',
        '--default-time-zone=+00:00',
      ]),
    );
    expect(services.mysql!.volumes).toContain('mysql-data:/var/lib/mysql');
  });
  it('creates databases and users only through db-init, from connect/databases.json, on every up', () => {
    // The image's MYSQL_DATABASE/MYSQL_USER and initdb.d scripts run on the first start only.
    expect(Object.keys(env('mysql'))).toEqual(['MYSQL_ROOT_PASSWORD']);
    expect((services.mysql!.volumes ?? []).some((v) => v.includes('docker-entrypoint-initdb.d'))).toBe(false);
    const init = services['db-init']!;
    expect(init.command).toEqual(['node', '--import', 'tsx', 'connect/docker/db-init.ts']);
    expect(init.depends_on?.mysql?.condition).toBe('service_healthy');
    expect(Object.keys(env('db-init'))).toEqual(
      expect.arrayContaining([
        'DB_ROOT_PASSWORD',
        'DB_NAME',
        'DB_APP_USER',
        'DB_APP_PASSWORD',
        'DEBEZIUM_DB_USER',
        'DEBEZIUM_DB_PASSWORD',
      ]),
    );
    expect(
      loadDatabaseList(root)
        .users.map((u) => u.role)
        .sort(),
    ).toEqual(['app', 'debezium']);
  });
  it('migrates, registers and consumes only after db-init succeeded', () => {
    expect(services.migrate!.depends_on?.['db-init']?.condition).toBe('service_completed_successfully');
    expect(services.connect!.depends_on?.['db-init']?.condition).toBe('service_completed_successfully');
    expect(services.connector!.depends_on?.migrate?.condition).toBe('service_completed_successfully');
  });
});

describe('Kafka', () => {
  // apache/kafka maps KAFKA_A_B to a.b ('__' to '_', '___' to '-'); without KAFKA_LOG_DIRS its
  // configureDefaults uses /tmp/kraft-combined-logs (docker/resources/common-scripts in apache/kafka).
  const kafkaEnvToProps = (e: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(e)
        .filter(([k]) => k.startsWith('KAFKA_'))
        .map(([k, v]) => [
          k
            .slice(6)
            .toLowerCase()
            .replaceAll('___', '-')
            .replaceAll('__', '\0')
            .replaceAll('_', '.')
            .replaceAll('\0', '_'),
          v,
        ]),
    );
  const broker = kafkaEnvToProps(env('kafka'));

  it('keeps its log dirs on the mounted volume', () => {
    const dir = broker['log.dirs'];
    expect(dir).toBeDefined();
    const mounts = (services.kafka!.volumes ?? []).map((v) => v.split(':'));
    const holding = mounts.filter(([, target]) => dir === target || dir!.startsWith(`${target}/`));
    expect(holding.map(([vol]) => vol)).toEqual(['kafka-data']);
    expect(doc.volumes).toHaveProperty('kafka-data');
  });
  it('has the local stack broker settings apart from listeners and paths', () => {
    const differ = [
      'controller.quorum.voters',
      'listeners',
      'advertised.listeners',
      'inter.broker.listener.name',
      'listener.security.protocol.map',
      'log.dirs',
    ];
    expect(without(broker, differ)).toEqual(without(props(kafkaProperties(s)), differ));
  });
});

describe('Kafka Connect', () => {
  // debezium/connect's docker-entrypoint.sh (connect-base/3.2) maps these names itself, every
  // CONNECT_A_B to a.b, and ignores anything else; DEBEZIUM_* are read by the env config provider.
  const FIXED: Record<string, string> = {
    BOOTSTRAP_SERVERS: 'bootstrap.servers',
    GROUP_ID: 'group.id',
    CONFIG_STORAGE_TOPIC: 'config.storage.topic',
    OFFSET_STORAGE_TOPIC: 'offset.storage.topic',
    STATUS_STORAGE_TOPIC: 'status.storage.topic',
    KEY_CONVERTER: 'key.converter',
    VALUE_CONVERTER: 'value.converter',
    OFFSET_FLUSH_INTERVAL_MS: 'offset.flush.interval.ms',
    OFFSET_FLUSH_TIMEOUT_MS: 'offset.flush.timeout.ms',
    SHUTDOWN_TIMEOUT: 'task.shutdown.graceful.timeout.ms',
    REST_PORT: 'rest.port',
    REST_HOST_NAME: 'rest.host.name',
    ADVERTISED_PORT: 'rest.advertised.port',
    ADVERTISED_HOST_NAME: 'rest.advertised.host.name',
  };
  const e = env('connect');
  const worker = Object.fromEntries(
    Object.entries(e).flatMap(([k, v]): [string, string][] => {
      if (FIXED[k]) return [[FIXED[k], v]];
      if (k.startsWith('CONNECT_')) return [[k.slice(8).toLowerCase().replaceAll('_', '.'), v]];
      return [];
    }),
  );

  it('sets nothing the image entrypoint would ignore', () => {
    const ignored = Object.keys(e).filter((k) => !FIXED[k] && !k.startsWith('CONNECT_') && !k.startsWith('DEBEZIUM_'));
    expect(ignored).toEqual([]);
  });
  it('has the local stack worker settings apart from addresses and the plugin path', () => {
    const differ = [
      'bootstrap.servers',
      'listeners',
      'rest.advertised.host.name',
      'rest.advertised.port',
      'plugin.path',
      'plugin.discovery',
    ];
    expect(without(worker, differ)).toEqual(without(props(workerProperties(s)), differ));
  });
  it('gives the worker every variable the connector config references', () => {
    const spec = loadConnector(root, env('connector').CONNECTOR_FILE);
    const refs = [...JSON.stringify(spec.config).matchAll(/\$\{env:(\w+)\}/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(Object.keys(e), r).toContain(r);
    expect(e.DEBEZIUM_DB_HOST).toBe('mysql');
  });
});

describe('the connector and its CDC topics', () => {
  it('registers the MySQL variant with PUT on every up', () => {
    expect(services.connector!.command).toEqual(['node', '--import', 'tsx', 'connect/docker/register-connector.ts']);
    expect(env('connector').CONNECTOR_FILE).toBe('shop-cdc.mysql.json');
  });
  it('creates the same topics as the local stack: same prefix, partitions, retention', () => {
    const topicKeys = (c: Record<string, string>) =>
      Object.fromEntries(Object.entries(c).filter(([k]) => k.startsWith('topic.')));
    const mysql = loadConnector(root, env('connector').CONNECTOR_FILE).config;
    expect(topicKeys(mysql)).toEqual(topicKeys(loadConnector(root).config));
    expect(mysql['topic.creation.default.retention.ms']).toBe('-1');
  });
});

describe('project services', () => {
  const apps = Object.entries(services).filter(([, svc]) => svc.build);
  // Entry points being written on other branches; an entry here that exists fails, so the list empties itself.
  const PENDING = new Set<string>();

  it('run entry points that exist', () => {
    for (const [name, svc] of apps) {
      const entry = svc.command?.[3];
      if (!entry) continue;
      expect(
        existsSync(join(root, entry)),
        `${name}: ${entry}${PENDING.has(entry) ? ' now exists: drop it from PENDING' : ''}`,
      ).toBe(!PENDING.has(entry));
    }
  });
  it('reach MySQL and Kafka by their service names, never through .env', () => {
    for (const [name, svc] of apps) {
      expect(svc.env_file, name).toBeUndefined();
      const e = env(name);
      if (e.DATABASE_URL) expect(e.DATABASE_URL, name).toMatch(/@mysql:3306\//);
      if (e.KAFKA_BROKERS) expect(e.KAFKA_BROKERS, name).toBe('kafka:29092');
    }
    for (const name of ['features', 'scoring', 'materializer', 'scheduler', 'api', 'migrate']) {
      expect(env(name), name).toHaveProperty('DATABASE_URL');
    }
  });
  it('publish ports on the loopback interface only', () => {
    for (const [name, svc] of Object.entries(services)) {
      for (const p of svc.ports ?? []) expect(p, name).toMatch(/^127\.0\.0\.1:/);
    }
  });
  it('declare every named volume they mount', () => {
    for (const svc of Object.values(services)) {
      for (const v of svc.volumes ?? []) {
        const src = v.split(':')[0]!;
        if (!src.startsWith('.') && !src.startsWith('/')) expect(doc.volumes).toHaveProperty(src);
      }
    }
  });
});
