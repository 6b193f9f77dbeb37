import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config/app-config.ts';
import { ValidationError } from '../core/errors.ts';
import { settingsFromConfig } from './settings.ts';

const env = {
  DB_ROOT_PASSWORD: 'r00t-secret',
  DB_APP_PASSWORD: 'app-secret',
  DEBEZIUM_DB_PASSWORD: 'dbz-secret',
};

describe('stack settings from the environment', () => {
  it('take the three passwords', () => {
    const s = settingsFromConfig(loadConfig(env, '/repo'), '/repo');
    expect([s.db.rootPassword, s.db.appPassword, s.db.debeziumPassword]).toEqual(Object.values(env));
  });
  it.each(Object.keys(env))('refuse an empty %s', (variable) => {
    const config = loadConfig({ ...env, [variable]: '' }, '/repo');
    expect(() => settingsFromConfig(config, '/repo')).toThrow(ValidationError);
    expect(() => settingsFromConfig(config, '/repo')).toThrow(variable);
  });
});
