import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { loadConfig } from './app-config.ts';
import { dbFromUrl } from './db-url.ts';

describe('config', () => {
  it('takes the app connection from DATABASE_URL, decoding credentials', () => {
    const c = loadConfig({ DATABASE_URL: 'mysql://shop_app:p%40ss@127.0.0.1:3307/shop', DB_PORT: '3307' }, '/repo');
    expect(c.db).toEqual({ host: '127.0.0.1', port: 3307, user: 'shop_app', password: 'p@ss', database: 'shop' });
    expect(c.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.stack.dir).toBe('/repo/.stack');
  });

  it('rejects bad values with the variable named', () => {
    expect(() => loadConfig({ KAFKA_PORT: 'ninety' })).toThrow(/KAFKA_PORT/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(ValidationError);
    expect(() => dbFromUrl('postgres://x@y/z')).toThrow(/mysql:\/\//);
  });
});
