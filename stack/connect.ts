import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createConnectClient, isRunning, loadConnector, type ConnectorSpec } from '../connect/connector.ts';
import { NotFoundError } from '../core/errors.ts';
import { jvmArgs } from './kafka.ts';
import { startDetached, logFile, type ManagedProcess } from './processes.ts';
import { brokerCount, connectUrl, kafkaBrokers, stackPaths, type StackSettings } from './settings.ts';
import { waitFor } from '../core/wait-for.ts';
import { ensureBinlogGtid } from './mariadb.ts';

export function connectProcess(s: StackSettings): ManagedProcess {
  const p = stackPaths(s);
  return { name: 'connect', runDir: p.run, logDir: p.logs, marker: `-Dshop.stack=${s.dir}/connect` };
}

export function workerProperties(s: StackSettings): string {
  // Connect's defaults of 3 replicas would never be satisfied by one broker; with a cluster, its
  // source offsets and connector configs survive the loss of a broker like every other topic.
  const replicas = Math.min(brokerCount(s), 3);
  return [
    `bootstrap.servers=${kafkaBrokers(s).join(',')}`,
    'group.id=shop-connect',
    'key.converter=org.apache.kafka.connect.json.JsonConverter',
    'value.converter=org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable=false',
    'value.converter.schemas.enable=false',
    'config.storage.topic=_connect-configs',
    'offset.storage.topic=_connect-offsets',
    'status.storage.topic=_connect-status',
    `config.storage.replication.factor=${replicas}`,
    `offset.storage.replication.factor=${replicas}`,
    `status.storage.replication.factor=${replicas}`,
    'offset.storage.partitions=5',
    'status.storage.partitions=1',
    // Fewer events redelivered after a crash: the source position is flushed every second.
    'offset.flush.interval.ms=1000',
    // One worker: a restarted worker gets its tasks back at once instead of after the 5-minute
    // grace that incremental cooperative rebalancing gives a departed worker to return.
    'scheduled.rebalance.max.delay.ms=0',
    `listeners=http://127.0.0.1:${s.connect.port}`,
    'rest.advertised.host.name=127.0.0.1',
    `rest.advertised.port=${s.connect.port}`,
    `plugin.path=${stackPaths(s).pluginsDir}`,
    'plugin.discovery=service_load',
    // Connector configs reference secrets as ${env:...}; only these variables are readable.
    'config.providers=env',
    'config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider',
    'config.providers.env.param.allowlist.pattern=^DEBEZIUM_.*$',
    '',
  ].join('\n');
}

export function startConnect(s: StackSettings): void {
  const p = stackPaths(s);
  mkdirSync(dirname(p.connectConfig), { recursive: true });
  writeFileSync(p.connectConfig, workerProperties(s));
  startDetached(connectProcess(s), {
    command: 'java',
    args: [...jvmArgs(s, 'connect'), 'org.apache.kafka.connect.cli.ConnectDistributed', p.connectConfig],
    env: {
      ...process.env,
      DEBEZIUM_DB_HOST: '127.0.0.1',
      DEBEZIUM_DB_PORT: String(s.db.port),
      DEBEZIUM_DB_USER: s.db.debeziumUser,
      DEBEZIUM_DB_PASSWORD: s.db.debeziumPassword,
      DEBEZIUM_KAFKA_BOOTSTRAP: kafkaBrokers(s).join(','),
    },
  });
}

export async function waitForConnect(s: StackSettings, timeoutMs = 120_000): Promise<void> {
  const client = createConnectClient({ url: connectUrl(s) });
  // Jetty answers 404 for a while before Connect's resources are registered.
  await waitFor(
    async () => {
      try {
        await client.list();
        return true;
      } catch (err) {
        if (err instanceof NotFoundError) return false;
        throw err;
      }
    },
    {
      timeoutMs,
      intervalMs: 250,
      what: `Kafka Connect REST on port ${s.connect.port} (log: ${logFile(connectProcess(s))})`,
    },
  );
}

/** Creates or updates the connector (PUT is idempotent) and waits until its task runs. */
export async function registerConnector(
  s: StackSettings,
  spec: ConnectorSpec = loadConnector(s.root),
  timeoutMs = 60_000,
) {
  const client = createConnectClient({ url: connectUrl(s) });
  await ensureBinlogGtid(s);
  await waitFor(
    async () => {
      await client.put(spec);
      return true;
    },
    { timeoutMs, what: `PUT connector ${spec.name}` },
  );
  return waitFor(
    async () => {
      try {
        return isRunning(await client.status(spec.name));
      } catch (err) {
        if (err instanceof NotFoundError) return false;
        throw err;
      }
    },
    { timeoutMs, what: `connector ${spec.name} RUNNING` },
  );
}
