#!/usr/bin/env -S npx tsx
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../core/config/app-config.ts';
import { ensureEnvFile, loadEnvFile } from '../core/env-file.ts';
import { addMissingSecrets } from '../core/env-secrets.ts';
import type { Area, CommandContext } from '../core/command.ts';
import { createLogger } from '../core/logger.ts';
import { parseArgs, usageOf } from '../core/args.ts';
import { AppError, ValidationError } from '../core/errors.ts';
import { areas } from './areas.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function areaHelp(area: Area): string {
  const width = Math.max(...Object.keys(area.verbs).map((v) => v.length));
  const lines = Object.entries(area.verbs).map(([name, v]) => `  ${name.padEnd(width)}  ${v.summary}`);
  return [
    `npm run ${area.name} -- <verb> [flags]`,
    '',
    area.summary,
    '',
    'Verbs:',
    ...lines,
    '',
    `Run \`npm run ${area.name} -- <verb> --help\` for a verb's flags.`,
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [areaName, verbName, ...rest] = argv;
  const area = areas.find((a) => a.name === areaName);
  if (!area) {
    process.stdout.write(`areas: ${areas.map((a) => a.name).join(', ')}\n`);
    return areaName ? 2 : 0;
  }
  if (!verbName || verbName === '--help' || verbName === 'help') {
    process.stdout.write(areaHelp(area) + '\n');
    return verbName ? 0 : 2;
  }
  const verb = area.verbs[verbName];
  if (!verb) {
    process.stderr.write(`unknown verb "${verbName}" for ${area.name}\n\n${areaHelp(area)}\n`);
    return 2;
  }
  const flags = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (flags.includes('--help') || flags.includes('-h')) {
    process.stdout.write(`npm run ${area.name} -- ${verbName} ${usageOf(verb.args)}\n\n${verb.summary}\n`);
    return 0;
  }
  const args = parseArgs(rest, verb.args);
  // Every command needs the same secrets: the first command run on a machine creates them.
  if (ensureEnvFile(resolve(root, '.env.example'), resolve(root, '.env'))) {
    process.stderr.write('created .env from .env.example with fresh passwords\n');
  }
  for (const key of addMissingSecrets(resolve(root, '.env.example'), resolve(root, '.env'))) {
    process.stderr.write(`added ${key} to .env (new in .env.example)\n`);
  }
  const env = loadEnvFile(resolve(root, '.env'));
  const config = loadConfig(env, root);
  const ctx: CommandContext = {
    config,
    env,
    logger: createLogger({ level: config.logLevel, base: { area: area.name, verb: verbName } }),
    root,
    out: (line) => process.stdout.write(line + '\n'),
  };
  return (await verb.run(args, ctx)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: ${msg}\n`);
    if (!(err instanceof ValidationError) && !(err instanceof AppError)) console.error(err);
    else if (err.cause instanceof Error && process.env.LOG_LEVEL === 'debug') console.error(err.cause);
    process.exit(err instanceof ValidationError ? 2 : 1);
  },
);
