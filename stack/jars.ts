import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { stackPaths, type StackSettings } from './settings.ts';

const POMS = ['connect/pom.xml', 'connect/jars/kafka/pom.xml', 'connect/jars/debezium-mariadb/pom.xml'];

/** The cache is valid for exactly the poms that filled it: a version bump refetches. */
function pomHash(root: string): string {
  const h = createHash('sha256');
  for (const p of POMS) h.update(readFileSync(join(root, p)));
  return h.digest('hex').slice(0, 16);
}

export function jarsReady(s: StackSettings): boolean {
  return existsSync(join(s.jarsDir, `.complete-${pomHash(s.root)}`));
}

/** Fetches Kafka, Connect and Debezium jars from Maven Central with mvn, once per pom version. */
export async function ensureJars(s: StackSettings, logger: Logger): Promise<'cached' | 'fetched'> {
  if (jarsReady(s)) return 'cached';
  const { kafkaJars, pluginsDir } = stackPaths(s);
  rmSync(kafkaJars, { recursive: true, force: true });
  rmSync(pluginsDir, { recursive: true, force: true });
  mkdirSync(s.jarsDir, { recursive: true });
  logger.info('fetching Kafka, Connect and Debezium jars with mvn (first run only)', { into: s.jarsDir });
  const mvnArgs = [
    '-B',
    '-q',
    '-Dstyle.color=never',
    '-f',
    join(s.root, 'connect/pom.xml'),
    'package',
    `-Dstack.jars=${s.jarsDir}`,
  ];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn('mvn', mvnArgs, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (err) => reject(new AppError('mvn is not installed (run `bash .ci/install`)', { cause: err })));
    child.on('exit', (c) => resolve(c ?? 1));
  });
  if (code !== 0) throw new AppError(`mvn exited with ${code} while fetching jars (see output above)`);
  if (readdirSync(kafkaJars).length === 0 || readdirSync(pluginsDir).length === 0) {
    throw new AppError(`mvn finished but ${s.jarsDir} has no jars`);
  }
  for (const f of readdirSync(s.jarsDir)) if (f.startsWith('.complete-')) rmSync(join(s.jarsDir, f));
  writeFileSync(join(s.jarsDir, `.complete-${pomHash(s.root)}`), new Date().toISOString());
  return 'fetched';
}

export function kafkaClasspath(s: StackSettings): string {
  return join(stackPaths(s).kafkaJars, '*');
}
