import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { booleanFlag, intFlag, type ParsedArgs } from '../core/args.ts';
import type { CommandContext } from '../core/command.ts';
import { settingsFromConfig } from '../stack/settings.ts';
import { stackStatus } from '../stack/stack.ts';
import { createScratchDatabase } from '../e2e/harness/scratch-database.ts';
import { generateToCsv, KAGGLE_FILES } from '../shop/csv-writer.ts';
import { generateToDb } from '../shop/db-generate.ts';
import { createShopDbWriter } from '../shop/db-writer.ts';
import { createShopGenerator, type ShopGenerator } from '../shop/generator/shop-generator.ts';
import { createProgress, fmt } from '../core/progress.ts';
import { peakRssMiB } from '../core/process-memory.ts';
import type { Benchmark, Figures } from './benchmark.ts';

const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Generation alone (no sink): the ceiling every sink is compared with. */
function generateOnly(gen: ShopGenerator): { lines: number; seconds: number } {
  const t0 = performance.now();
  let lines = 0;
  for (const g of gen.generate()) for (const t of g.transactions) lines += t.lines.length;
  return { lines, seconds: (performance.now() - t0) / 1000 };
}

/** The same number of bytes written to the same disk in 1 MiB chunks: the floor for CSV output. */
async function rawWrite(path: string, bytes: number): Promise<number> {
  const chunk = Buffer.alloc(1 << 20, 0x61);
  const out = createWriteStream(path);
  const t0 = performance.now();
  for (let left = bytes; left > 0; left -= chunk.length) {
    if (!out.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return (performance.now() - t0) / 1000;
}

async function benchDb(ctx: CommandContext, shoppers: number, seed: number): Promise<Figures> {
  const s = settingsFromConfig(ctx.config, ctx.root);
  const up = (await stackStatus(s)).find((c) => c.component === 'mariadb')?.healthy;
  if (!up) {
    ctx.out('database: skipped (MariaDB is not up: `npm run stack -- up`)');
    return { db_lines_per_s: null, db_shoppers: shoppers };
  }
  const gen = createShopGenerator({ seed, shoppers });
  const ref = generateOnly(createShopGenerator({ seed, shoppers }));
  const tdb = await createScratchDatabase(s, 'bench_gen');
  try {
    const progress = createProgress({
      label: 'generate->db',
      unit: 'lines',
      total: gen.expectedLines,
    });
    const r = await generateToDb({
      generator: gen,
      writer: createShopDbWriter({ pool: tdb.pool, logger: ctx.logger }),
      logger: ctx.logger,
      progress,
    });
    const seconds = progress.done();
    const rate = r.lines / seconds;
    const refRate = ref.lines / ref.seconds;
    ctx.out(
      `database: ${fmt(r.lines)} lines (${fmt(shoppers)} shoppers) in ${seconds.toFixed(1)} s = ${fmt(rate)} lines/s` +
        `  (generation alone ${fmt(refRate)} lines/s; ratio ${(rate / refRate).toFixed(2)})`,
    );
    return {
      db_shoppers: shoppers,
      db_lines: r.lines,
      db_seconds: round(seconds, 1),
      db_lines_per_s: round(rate),
      db_ratio_vs_generation: round(rate / refRate, 2),
    };
  } finally {
    await tdb.drop();
  }
}

export const generateBench: Benchmark = {
  name: 'generate',
  summary:
    'shop generator: lines/s to Kaggle CSV at 1M shoppers (vs raw disk writes of the same bytes) and into MariaDB (vs generation alone)',
  args: {
    options: {
      shoppers: { type: 'string', value: 'N', default: '1000000' },
      lines: { type: 'string', value: 'N', default: '20000000', note: '0: the real 36 lines/shopper' },
      'db-shoppers': { type: 'string', value: 'N', default: '20000', note: '0: skip' },
      seed: { type: 'string', value: 'S', default: '42' },
      keep: { type: 'boolean' },
    },
  },
  async run(args: ParsedArgs, ctx: CommandContext): Promise<Figures> {
    const shoppers = intFlag(args, 'shoppers', { min: 1 });
    const lines = intFlag(args, 'lines');
    const seed = intFlag(args, 'seed');
    const dir = resolve(ctx.root, '.bench/generate');
    const gen = createShopGenerator({ seed, shoppers, targetLines: lines || undefined });
    ctx.out(`generating ${fmt(shoppers)} shoppers (~${fmt(gen.expectedLines)} lines) to ${dir} ...`);
    const progress = createProgress({
      label: 'generate->csv',
      unit: 'lines',
      total: gen.expectedLines,
      intervalMs: 5000,
    });
    const csv = await generateToCsv({ generator: gen, dir, progress });
    const seconds = progress.done();
    const csvPeak = await peakRssMiB();
    const bytes =
      (await stat(join(dir, KAGGLE_FILES.sales))).size + (await stat(join(dir, KAGGLE_FILES.customers))).size;
    const rawSeconds = await rawWrite(join(dir, 'raw-reference.bin'), bytes);
    const mibs = bytes / 2 ** 20 / seconds;
    const rawMibs = bytes / 2 ** 20 / rawSeconds;
    ctx.out(
      `csv: ${fmt(csv.lines)} lines, ${fmt(bytes / 2 ** 20)} MiB in ${seconds.toFixed(1)} s = ${fmt(csv.lines / seconds)} lines/s, ${mibs.toFixed(1)} MiB/s; peak RSS ${csvPeak} MiB`,
    );
    ctx.out(
      `raw write of the same bytes: ${rawMibs.toFixed(1)} MiB/s (reference, same run); ratio csv/raw ${(mibs / rawMibs).toFixed(3)}`,
    );
    if (!booleanFlag(args, 'keep')) await rm(dir, { recursive: true, force: true });
    const dbShoppers = intFlag(args, 'db-shoppers');
    const db = dbShoppers > 0 ? await benchDb(ctx, dbShoppers, seed) : {};
    const peak = await peakRssMiB();
    if (dbShoppers > 0) ctx.out(`peak RSS after the database run: ${peak} MiB`);
    return {
      shoppers,
      transactions: csv.transactions,
      lines: csv.lines,
      csv_bytes: bytes,
      csv_seconds: round(seconds, 1),
      csv_lines_per_s: round(csv.lines / seconds),
      csv_mib_per_s: round(mibs, 1),
      raw_write_mib_per_s: round(rawMibs, 1),
      ratio_csv_vs_raw: round(mibs / rawMibs, 3),
      csv_peak_rss_mib: csvPeak,
      ...db,
      peak_rss_mib: peak,
    };
  },
};
