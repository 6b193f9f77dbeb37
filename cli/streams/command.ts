import { readFile, writeFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import type { Area, CommandContext } from '../../core/command.ts';
import { booleanFlag, stringFlag, type ParsedArgs } from '../../core/args.ts';
import { topicCatalog } from '../../streams/catalog.ts';
import { ASYNCAPI_FILE, asyncApiDocument } from '../../streams/asyncapi/document.ts';

/** Writes the AsyncAPI document (formatted as the repository's Prettier would), or checks it is current. */
async function asyncapi(args: ParsedArgs, ctx: CommandContext) {
  const file = stringFlag(args, 'out') ?? join(ctx.root, ASYNCAPI_FILE);
  const doc = asyncApiDocument();
  if (booleanFlag(args, 'check')) {
    const current = JSON.parse(await readFile(file, 'utf8')) as unknown;
    const same = isDeepStrictEqual(current, doc);
    ctx.out(same ? `${file} is up to date` : `${file} is stale: npm run streams -- asyncapi`);
    return same ? 0 : 1;
  }
  const options = (await resolveConfig(file)) ?? {};
  await writeFile(file, await format(JSON.stringify(doc), { ...options, parser: 'json' }));
  ctx.out(`wrote ${file}: AsyncAPI 3.0, ${topicCatalog().length} topics`);
}

function topics(_args: ParsedArgs, ctx: CommandContext) {
  for (const e of topicCatalog())
    ctx.out(`${e.def.name.padEnd(28)} ${e.def.cleanupPolicy.padEnd(8)} ${e.def.description}`);
  return Promise.resolve();
}

export const streamsArea: Area = {
  name: 'streams',
  summary: 'The topic contracts: list them, and generate the AsyncAPI document from their zod schemas.',
  verbs: {
    asyncapi: {
      summary: `write ${ASYNCAPI_FILE} from the zod schemas of every topic in streams/catalog.ts, or --check it is current`,
      args: {
        options: {
          check: { type: 'boolean', note: 'exit 1 if the checked-in document is stale' },
          out: { type: 'string', value: 'FILE' },
        },
      },
      run: asyncapi,
    },
    topics: { summary: 'list every topic with its cleanup policy and what it holds', run: topics },
  },
};
