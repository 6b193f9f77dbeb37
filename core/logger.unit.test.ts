import { describe, expect, it } from 'vitest';
import { kafkaLogCreator } from './kafka-log.ts';
import { logLevel } from 'kafkajs';
import { AppError, TransientError } from './errors.ts';
import { createLogger, silentLogger, type LoggerOptions } from './logger.ts';

/** A parsed record, loosely typed for property paths in assertions. */
interface Json {
  [key: string]: Json;
}

function capture(opts: LoggerOptions = {}) {
  const lines: string[] = [];
  const logger = createLogger({ ...opts, write: (l) => lines.push(l) });
  const records = () => lines.map((l) => JSON.parse(l) as Json);
  return { logger, lines, records };
}

describe('logger', () => {
  it('writes one JSON object per line with level name, ISO time, msg, base and fields; filters by level', () => {
    const { logger, lines, records } = capture({ level: 'info', base: { area: 'data' } });
    logger.debug('hidden');
    logger.info('hello', { n: 1 });
    logger.child({ verb: 'generate' }).warn('careful');
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
    expect(records()).toMatchObject([
      { level: 'info', msg: 'hello', area: 'data', n: 1 },
      { level: 'warn', msg: 'careful', area: 'data', verb: 'generate' },
    ]);
    const time = String(records()[0]!.time);
    expect(new Date(time).toISOString()).toBe(time);
  });

  it('keeps an error its stack, code, errno and whole cause chain', () => {
    const root = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', errno: -111 });
    const err = new TransientError('database down', { cause: new AppError('pool', { cause: root }) });
    const { logger, records } = capture();
    logger.error('failed', { error: err });
    expect(records()[0]!.error).toMatchObject({
      type: 'TransientError',
      message: 'database down',
      retriable: true,
      stack: expect.stringContaining('TransientError: database down\n    at '),
      cause: {
        type: 'AppError',
        message: 'pool',
        cause: {
          message: 'connect ECONNREFUSED',
          code: 'ECONNREFUSED',
          errno: -111,
          stack: expect.stringContaining('Error: connect ECONNREFUSED\n    at '),
        },
      },
    });
  });

  it('keeps a cause that is not an Error', () => {
    const { logger, records } = capture();
    logger.error('failed', { error: new AppError('x', { cause: 'plain reason' }) });
    expect(records()[0]).toMatchObject({ error: { message: 'x', cause: 'plain reason' } });
  });

  it("logs an AggregateError's errors, not just its empty message", () => {
    const agg = new AggregateError([new Error('first'), Object.assign(new Error('second'), { code: 'E2' })]);
    const { logger, records } = capture();
    logger.error('both failed', { error: agg });
    expect(records()[0]!.error).toMatchObject({
      type: 'AggregateError',
      aggregateErrors: [{ message: 'first' }, { message: 'second', code: 'E2' }],
    });
  });

  it('never throws on a BigInt or a circular field', () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const { logger, lines, records } = capture();
    expect(() => logger.info('odd', { big: 12345678901234567890n, circular })).not.toThrow();
    expect(() => logger.child({ big: 1n, circular }).info('child')).not.toThrow();
    const [odd, child] = records();
    expect(lines[0]).toContain('"big":12345678901234567890,');
    expect(odd).toMatchObject({ msg: 'odd', circular: { name: 'loop', self: '[Circular]' } });
    expect(child).toMatchObject({ msg: 'child', big: 1 });
  });

  it('keeps fields named level, msg or time under `fields` instead of overwriting the record', () => {
    const { logger, records } = capture({ base: { time: 'base' } });
    logger.warn('real message', { level: 'shadow', msg: 'shadow', time: 0, fields: 1, other: 2 });
    logger.child({ level: 'child' }).info('from child');
    const [first, second] = records();
    expect(first).toMatchObject({ level: 'warn', msg: 'real message', other: 2 });
    expect(first?.fields).toEqual({ level: 'shadow', msg: 'shadow', time: 0, fields: 1 });
    expect(first?.time).toMatch(/^\d{4}-/);
    expect(second).toMatchObject({ level: 'info', msg: 'from child', fields: { level: 'child' } });
  });

  it('is silent when asked', () => {
    expect(() => silentLogger.child({ a: 1 }).error('nothing', { error: new Error('x') })).not.toThrow();
  });

  it("routes kafkajs' records through it, with rebalancing heartbeats at debug", () => {
    const { logger, records } = capture({ level: 'debug' });
    const log = kafkaLogCreator(logger)(logLevel.DEBUG);
    const entry = (level: logLevel, message: string, extra = {}) =>
      log({ namespace: 'x', level, label: 'x', log: { timestamp: 't', message, ...extra } });
    entry(logLevel.ERROR, 'crash', { error: 'broker gone' });
    entry(logLevel.ERROR, 'heartbeat', { error: 'The group is rebalancing' });
    entry(logLevel.WARN, 'slow');
    expect(records()).toMatchObject([
      { level: 'error', msg: 'crash', error: 'broker gone', logger: 'kafkajs' },
      { level: 'debug', msg: 'heartbeat' },
      { level: 'warn', msg: 'slow' },
    ]);
  });
});
