import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.ts';
import { loadApiConfig } from './config.ts';

const token = 'a'.repeat(24);

describe('loadApiConfig', () => {
  it('has the documented defaults', () => {
    const c = loadApiConfig({ OPS_TOKEN: token });
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8000, publicUrl: 'http://127.0.0.1:8000', homeView: true });
    expect(c.corsOrigins).toEqual(['http://127.0.0.1:5173', 'http://localhost:5173']);
    expect(c.topics.recommendations).toBe('recommendations.v1');
  });

  it.each([
    ['missing', {}],
    ['empty', { OPS_TOKEN: '' }],
    ['short', { OPS_TOKEN: 'abc' }],
    ['not generated', { OPS_TOKEN: '__generate__' }],
  ])('refuses an OPS_TOKEN that is %s', (_what, env) => {
    expect(() => loadApiConfig(env)).toThrow(ValidationError);
    expect(() => loadApiConfig(env)).toThrow(/OPS_TOKEN/);
  });

  it('builds image URLs for the host a browser reaches, and takes an explicit public URL', () => {
    expect(loadApiConfig({ OPS_TOKEN: token, API_HOST: '0.0.0.0', API_PORT: '9000' }).publicUrl).toBe(
      'http://127.0.0.1:9000',
    );
    expect(loadApiConfig({ OPS_TOKEN: token, API_PUBLIC_URL: 'https://shop.example/api/' }).publicUrl).toBe(
      'https://shop.example/api',
    );
    expect(() => loadApiConfig({ OPS_TOKEN: token, API_CORS_ORIGINS: 'not a url' })).toThrow(/API_CORS_ORIGINS/);
  });
});
