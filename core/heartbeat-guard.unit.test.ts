import { describe, expect, it } from 'vitest';
import { commitGuarded, guardHeartbeat, rejoinReason, underGuard } from './heartbeat-guard.ts';
import { createLogger } from './logger.ts';

const kafkaError = (type: string) => Object.assign(new Error(`The group is rebalancing (${type})`), { type });

describe('heartbeats between retries', () => {
  it('remember a rebalance, so the retry loop stops and the member rejoins', async () => {
    let n = 0;
    const g = guardHeartbeat(async () => {
      if (++n === 2) throw kafkaError('REBALANCE_IN_PROGRESS');
    });
    await g.onWait();
    expect(g.lost()).toBeUndefined();
    await g.onWait();
    expect(g.lost()).toMatchObject({ type: 'REBALANCE_IN_PROGRESS' });
    await g.onWait();
    expect(g.lost()).toMatchObject({ type: 'REBALANCE_IN_PROGRESS' });
  });
  it('remember a lost membership', async () => {
    const g = guardHeartbeat(async () => {
      throw kafkaError('UNKNOWN_MEMBER_ID');
    });
    await g.onWait();
    expect(g.lost()).toMatchObject({ type: 'UNKNOWN_MEMBER_ID' });
  });
  it('pass other heartbeat failures on (a broker that is down is the retry loop’s business)', async () => {
    const g = guardHeartbeat(async () => {
      throw Object.assign(new Error('Connection error'), { retriable: true });
    });
    await expect(g.onWait()).rejects.toThrow('Connection error');
    expect(g.lost()).toBeUndefined();
  });
});

describe('a moved coordinator', () => {
  it('is a reason to rejoin, also when kafkajs wraps it after its own retries', async () => {
    const moved = kafkaError('NOT_COORDINATOR_FOR_GROUP');
    const wrapped = Object.assign(new Error('This is not the correct coordinator for this group'), {
      name: 'KafkaJSNumberOfRetriesExceeded',
      cause: moved,
    });
    expect(rejoinReason(wrapped)).toBe(moved);
    const g = guardHeartbeat(async () => undefined);
    g.observe(new Error('Connection error'));
    expect(g.lost()).toBeUndefined();
    g.observe(wrapped);
    expect(g.lost()).toBe(moved);
  });
});

describe('a coordinator whose broker left the cluster', () => {
  it('is a moved coordinator: kafkajs rejoins and asks for the new one', () => {
    const gone = Object.assign(new Error('Broker 2 not found in the cached metadata'), {
      name: 'KafkaJSBrokerNotFound',
    });
    expect(rejoinReason(gone)).toMatchObject({ type: 'NOT_COORDINATOR_FOR_GROUP', cause: gone });
  });
});

describe('a batch under the guard', () => {
  const moved = () => Object.assign(new Error('retries exceeded'), { cause: kafkaError('NOT_COORDINATOR_FOR_GROUP') });

  it('stops retrying a commit whose coordinator moved, and rethrows the rejoin reason for kafkajs', async () => {
    let commits = 0;
    const consumer = {
      commitOffsets: async () => {
        commits++;
        throw Object.assign(moved(), { retriable: true });
      },
    };
    const run = underGuard(
      async () => undefined,
      (beat) =>
        commitGuarded(
          consumer,
          beat,
          { topic: 't', partition: 0, offset: '1' },
          {
            logger: createLogger({ level: 'silent' }),
            minDelayMs: 1,
            keepGoing: () => !beat.lost(),
          },
        ),
    );
    await expect(run).rejects.toMatchObject({ type: 'NOT_COORDINATOR_FOR_GROUP' });
    expect(commits).toBe(1);
  });
  it('passes other failures on as they are', async () => {
    const boom = new Error('boom');
    await expect(
      underGuard(
        async () => undefined,
        async () => Promise.reject(boom),
      ),
    ).rejects.toBe(boom);
  });
});
