import { describe, expect, it } from 'vitest';
import { splitStatements } from '../prisma/db/migrate.ts';
import { ValidationError, TransientError } from '../core/errors.ts';
import { workerProperties } from './connect.ts';
import { kafkaProperties } from './kafka.ts';
import { kafkaBrokers, type StackSettings } from './settings.ts';
import { waitFor } from '../core/wait-for.ts';

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

describe('generated server configs', () => {
  it('runs Kafka as one KRaft broker+controller with single-replica internal topics', () => {
    const p = props(kafkaProperties(s));
    expect(p).toMatchObject({
      'process.roles': 'broker,controller',
      'controller.quorum.voters': '1@127.0.0.1:9093',
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'log.dirs': '/r/.stack/kafka/data',
    });
  });
  it('gives Connect single-replica storage topics, the plugin dir and the env config provider', () => {
    const p = props(workerProperties(s));
    expect(p).toMatchObject({
      'config.storage.replication.factor': '1',
      'offset.storage.replication.factor': '1',
      'status.storage.replication.factor': '1',
      'plugin.path': '/c/jars/plugins',
      'value.converter.schemas.enable': 'false',
      'config.providers': 'env',
    });
  });
});

describe('a three-node cluster', () => {
  const three: StackSettings = { ...s, kafka: { ...s.kafka, brokers: 3 } };
  it('gives every node the same voters, its own ports and log dir, 3 replicas and 2 in sync', () => {
    const nodes = [1, 2, 3].map((n) => props(kafkaProperties(three, n)));
    for (const p of nodes)
      expect(p).toMatchObject({
        'controller.quorum.voters': '1@127.0.0.1:9093,2@127.0.0.1:9103,3@127.0.0.1:9113',
        'default.replication.factor': '3',
        'min.insync.replicas': '2',
        'offsets.topic.replication.factor': '3',
        'transaction.state.log.min.isr': '2',
      });
    expect(nodes.map((p) => [p['node.id'], p.listeners, p['log.dirs']])).toEqual([
      ['1', 'PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093', '/r/.stack/kafka/data'],
      ['2', 'PLAINTEXT://127.0.0.1:9102,CONTROLLER://127.0.0.1:9103', '/r/.stack/kafka-2/data'],
      ['3', 'PLAINTEXT://127.0.0.1:9112,CONTROLLER://127.0.0.1:9113', '/r/.stack/kafka-3/data'],
    ]);
    expect(kafkaBrokers(three)).toEqual(['127.0.0.1:9092', '127.0.0.1:9102', '127.0.0.1:9112']);
  });
  it("replicates Connect's own topics 3 times", () => {
    expect(props(workerProperties(three))).toMatchObject({
      'config.storage.replication.factor': '3',
      'offset.storage.replication.factor': '3',
      'status.storage.replication.factor': '3',
    });
  });
  it('keeps one node free of cluster-only settings', () => {
    expect(props(kafkaProperties(s))).not.toHaveProperty('min.insync.replicas');
  });
});

describe('migration statements', () => {
  it('splits on line-ending semicolons and drops comments', () => {
    expect(
      splitStatements('-- CreateTable\nCREATE TABLE a (x INT);\n\n-- AddForeignKey\nALTER TABLE a ADD y INT;\n'),
    ).toEqual(['CREATE TABLE a (x INT)', 'ALTER TABLE a ADD y INT']);
  });
});

describe('waitFor', () => {
  it('returns the first truthy probe result', async () => {
    let n = 0;
    expect(await waitFor(async () => (++n >= 3 ? n : false), { timeoutMs: 1000, intervalMs: 1, what: 'n' })).toBe(3);
  });
  it('times out as a transient error naming what it waited for and why', async () => {
    const err = await waitFor(
      async () => {
        throw new Error('refused');
      },
      { timeoutMs: 30, intervalMs: 5, what: 'the thing' },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toMatch(/waiting for the thing: refused/);
  });
  it('stops at once on a non-retriable error of ours', async () => {
    const t0 = Date.now();
    await expect(
      waitFor(
        async () => {
          throw new ValidationError('bad config');
        },
        { timeoutMs: 5000, what: 'x' },
      ),
    ).rejects.toThrow('bad config');
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
