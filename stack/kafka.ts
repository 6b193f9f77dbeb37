import { createKafka } from '../core/kafka.ts';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../core/logger.ts';
import { kafkaClasspath } from './jars.ts';
import { runningPid, startDetached, logFile, type ManagedProcess } from './processes.ts';
import { ValidationError } from '../core/errors.ts';
import { brokerCount, kafkaBrokers, kafkaNode, kafkaNodes, stackPaths, type StackSettings } from './settings.ts';
import { waitFor } from '../core/wait-for.ts';

const run = promisify(execFile);

export function kafkaProcess(s: StackSettings, node = 1): ManagedProcess {
  const p = stackPaths(s);
  const { name } = kafkaNode(s, node);
  return { name, runDir: p.run, logDir: p.logs, marker: `-Dshop.stack=${s.dir}/${name}` };
}

/**
 * One combined broker+controller node in KRaft mode, sized for a laptop. With several nodes on one
 * host every node lists the same voters; topics get a replica on each of up to 3 nodes and a write
 * needs 2 of them (min.insync.replicas), so one node may die without losing an acknowledged write.
 */
export function kafkaProperties(s: StackSettings, node = 1): string {
  const n = kafkaNode(s, node);
  const count = brokerCount(s);
  const replicas = Math.min(count, 3);
  const minIsr = replicas > 1 ? 2 : 1;
  const voters = kafkaNodes(s)
    .map((v) => `${v.node}@127.0.0.1:${v.controllerPort}`)
    .join(',');
  return [
    'process.roles=broker,controller',
    `node.id=${node}`,
    `controller.quorum.voters=${voters}`,
    `listeners=PLAINTEXT://127.0.0.1:${n.port},CONTROLLER://127.0.0.1:${n.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${n.port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${n.data}`,
    'num.partitions=3',
    `default.replication.factor=${replicas}`,
    `offsets.topic.replication.factor=${replicas}`,
    'offsets.topic.num.partitions=10',
    `transaction.state.log.replication.factor=${replicas}`,
    `transaction.state.log.min.isr=${minIsr}`,
    'transaction.state.log.num.partitions=4',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
    'log.cleaner.dedupe.buffer.size=33554432',
    ...(count > 1 ? [`min.insync.replicas=${minIsr}`, 'unclean.leader.election.enable=false'] : []),
    '',
  ].join('\n');
}

export function log4jProperties(): string {
  return [
    'log4j.rootLogger=INFO, stdout',
    'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
    'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.org.apache.kafka.clients=WARN',
    'log4j.logger.kafka.request.logger=WARN',
    'log4j.logger.org.reflections=ERROR',
    '',
  ].join('\n');
}

/** JVM flags shared by the broker and the Connect worker. */
export function jvmArgs(s: StackSettings, component: string): string[] {
  return [
    `-Xms${s.heap}`,
    `-Xmx${s.heap}`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${stackPaths(s).log4j}`,
    `-Dshop.stack=${s.dir}/${component}`,
    '-cp',
    kafkaClasspath(s),
  ];
}

/** Kafka's Uuid: 16 random bytes, base64url; one starting with '-' would read as a flag. */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The broker count the cluster's storage was formatted for; a KRaft quorum cannot grow by restarting. */
const brokersFile = (s: StackSettings) => join(s.dir, 'kafka', 'brokers');

export function recordedBrokers(s: StackSettings): number | undefined {
  if (!existsSync(brokersFile(s))) return undefined;
  const n = Number(readFileSync(brokersFile(s), 'utf8').trim());
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

async function formatNode(s: StackSettings, node: number, id: string, logger: Logger): Promise<void> {
  const n = kafkaNode(s, node);
  logger.info('formatting Kafka storage (first start)', { dir: n.data, node });
  await run('java', [
    ...jvmArgs(s, 'kafka-format').filter((a) => !a.startsWith('-Xm')),
    'kafka.tools.StorageTool',
    'format',
    '-t',
    id,
    '-c',
    n.config,
    '--ignore-formatted',
  ]);
}

/** Writes each node's config, formats the storage of every node with one cluster id on first start. */
async function prepareKafka(s: StackSettings, logger: Logger): Promise<void> {
  const recorded = recordedBrokers(s);
  if (recorded !== undefined && recorded !== brokerCount(s))
    throw new ValidationError(
      `the stack in ${s.dir} was formatted for ${recorded} Kafka node(s), not ${brokerCount(s)}: \`stack reset\` first`,
    );
  writeFileSync(stackPaths(s).log4j, log4jProperties());
  for (const n of kafkaNodes(s)) {
    mkdirSync(dirname(n.config), { recursive: true });
    writeFileSync(n.config, kafkaProperties(s, n.node));
  }
  if (existsSync(join(kafkaNode(s, 1).data, 'meta.properties'))) return;
  const id = clusterId();
  for (const n of kafkaNodes(s)) await formatNode(s, n.node, id, logger);
  writeFileSync(brokersFile(s), String(brokerCount(s)));
}

/** Starts one node (its storage must be formatted): the fault suite restarts a killed broker with this. */
export function startKafkaNode(s: StackSettings, node: number): void {
  startDetached(kafkaProcess(s, node), {
    command: 'java',
    args: [...jvmArgs(s, kafkaNode(s, node).name), 'kafka.Kafka', kafkaNode(s, node).config],
  });
}

/** Starts every node of the cluster that is not running. */
export async function startKafka(s: StackSettings, logger: Logger): Promise<void> {
  await prepareKafka(s, logger);
  for (const n of kafkaNodes(s)) if (!runningPid(kafkaProcess(s, n.node))) startKafkaNode(s, n.node);
}

export function adminClient(brokers: string[]) {
  return createKafka({ clientId: 'shop-stack', brokers, retries: 0 }).admin();
}

/** Healthy when the cluster answers metadata, has a controller and (with `all`) every node registered. */
export async function kafkaHealthy(s: StackSettings, all = false): Promise<boolean> {
  const admin = adminClient(kafkaBrokers(s));
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    const wanted = all ? brokerCount(s) : 1;
    return cluster.brokers.length >= wanted && cluster.controller !== null;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

export async function waitForKafka(s: StackSettings, timeoutMs = 90_000): Promise<void> {
  await waitFor(() => kafkaHealthy(s, true), {
    timeoutMs,
    intervalMs: 250,
    what: `Kafka on port ${s.kafka.port} (log: ${logFile(kafkaProcess(s))})`,
  });
}
