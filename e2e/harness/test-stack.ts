import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StackSettings } from '../../stack/settings.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The test stack: its own directory and ports, so a developer's `npm start` stack keeps running
 * beside `npm test`. Passwords are fresh for every run.
 */
export function testStackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const base = Number(env.TEST_STACK_PORT_BASE ?? 13000);
  const secret = () => randomBytes(12).toString('base64url');
  return {
    root: repoRoot,
    dir: resolve(repoRoot, env.TEST_STACK_DIR ?? '.stack-test'),
    jarsDir: resolve(env.STACK_JARS_DIR ?? resolve(homedir(), '.cache/shop-reco/jars')),
    db: {
      port: base + 307,
      database: 'shop',
      rootPassword: secret(),
      appUser: 'shop_app',
      appPassword: secret(),
      debeziumUser: 'debezium',
      debeziumPassword: secret(),
    },
    kafka: { port: base + 92, controllerPort: base + 93 },
    connect: { port: base + 83 },
    heap: '640m',
  };
}
