import { createKafka } from '../core/kafka.ts';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../core/logger.ts';
import { kafkaClasspath } from './jars.ts';
import { startDetached, logFile, type ManagedProcess } from './processes.ts';
import { kafkaBrokers, stackPaths, type StackSettings } from './settings.ts';
import { waitFor } from '../core/wait-for.ts';

const run = promisify(execFile);

export function kafkaProcess(s: StackSettings): ManagedProcess {
  const p = stackPaths(s);
  return { name: 'kafka', runDir: p.run, logDir: p.logs, marker: `-Dshop.stack=${s.dir}/kafka` };
}

/** One combined broker+controller node in KRaft mode, sized for a laptop. */
export function kafkaProperties(s: StackSettings): string {
  const { port, controllerPort } = s.kafka;
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${stackPaths(s).kafkaData}`,
    'num.partitions=3',
    'default.replication.factor=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=4',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
    'log.cleaner.dedupe.buffer.size=33554432',
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

export async function startKafka(s: StackSettings, logger: Logger): Promise<void> {
  const p = stackPaths(s);
  mkdirSync(dirname(p.kafkaConfig), { recursive: true });
  writeFileSync(p.kafkaConfig, kafkaProperties(s));
  writeFileSync(p.log4j, log4jProperties());
  if (!existsSync(join(p.kafkaData, 'meta.properties'))) {
    logger.info('formatting Kafka storage (first start)', { dir: p.kafkaData });
    await run('java', [
      ...jvmArgs(s, 'kafka-format').filter((a) => !a.startsWith('-Xm')),
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId(),
      '-c',
      p.kafkaConfig,
      '--ignore-formatted',
    ]);
  }
  startDetached(kafkaProcess(s), { command: 'java', args: [...jvmArgs(s, 'kafka'), 'kafka.Kafka', p.kafkaConfig] });
}

export function adminClient(brokers: string[]) {
  return createKafka({ clientId: 'shop-stack', brokers, retries: 0 }).admin();
}

/** Healthy when the broker answers metadata and has a controller. */
export async function kafkaHealthy(s: StackSettings): Promise<boolean> {
  const admin = adminClient(kafkaBrokers(s));
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

export async function waitForKafka(s: StackSettings, timeoutMs = 90_000): Promise<void> {
  await waitFor(() => kafkaHealthy(s), {
    timeoutMs,
    intervalMs: 250,
    what: `Kafka on port ${s.kafka.port} (log: ${logFile(kafkaProcess(s))})`,
  });
}
