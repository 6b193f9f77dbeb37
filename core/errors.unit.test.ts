import { describe, expect, it } from 'vitest';
import { AppError, classify, isRetriable, NotFoundError, TransientError, ValidationError } from './errors.ts';

describe('error tree', () => {
  it('splits retriable from permanent failures', () => {
    expect(isRetriable(new TransientError('db down'))).toBe(true);
    expect(isRetriable(new ValidationError('bad'))).toBe(false);
    expect(isRetriable(new NotFoundError('gone'))).toBe(false);
    expect(isRetriable(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(
      isRetriable(new Error('wrapped', { cause: Object.assign(new Error('y'), { code: 'PROTOCOL_CONNECTION_LOST' }) })),
    ).toBe(true);
    expect(isRetriable(Object.assign(new Error('x'), { code: 'ER_DUP_ENTRY' }))).toBe(false);
  });

  it('classify keeps the original as cause', () => {
    const orig = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const e = classify(orig, 'writing features');
    expect(e).toBeInstanceOf(TransientError);
    expect(e.cause).toBe(orig);
    expect(e.message).toBe('writing features: connect ECONNREFUSED');
    expect(classify(new Error('syntax'), 'q')).toBeInstanceOf(AppError);
    expect(e.name).toBe('TransientError');
  });
});
