import { resolve } from 'node:path';
import type { Area, CommandContext, Verb } from '../../core/command.ts';
import { booleanFlag, intFlag, numberFlag, stringFlag, type Flag, type ParsedArgs } from '../../core/args.ts';
import { ValidationError } from '../../core/errors.ts';
import { peakRssMiB } from '../../core/process-memory.ts';
import { createPool, type Pool } from '../../prisma/db/pool.ts';
import { REAL_DATA } from '../../shop/calibration.ts';
import { createCategoryMap, loadCategoryMap, type CategoryMap } from '../../features/category-map.ts';
import { createRepeatRateAccumulator } from '../../shop/concentration.ts';
import { generateToCsv } from '../../shop/csv-writer.ts';
import { generateToDb } from '../../shop/db-generate.ts';
import { createShopDbWriter } from '../../shop/db-writer.ts';
import { toSalesLines } from '../../shop/generator/sales-lines.ts';
import { DEFAULT_STRENGTH } from '../../shop/generator/preferences.ts';
import { createShopGenerator } from '../../shop/generator/shop-generator.ts';
import { importShopDirectory, type ImportReport } from '../../shop/importer/db-import.ts';
import { parseShopDirectory } from '../../shop/importer/parse-shop.ts';
import type { RejectLog } from '../../shop/importer/shop-files.ts';
import { createProgress, fmt } from '../../core/progress.ts';
import { checkAgainstCalibration, createStatsAccumulator, type ShopStats } from '../../shop/shop-stats.ts';
import { runSimulator } from '../../shop/simulator/simulator.ts';
import { excessOf, strengthForExcess } from '../../shop/strength-calibration.ts';

const stderrLine = (line: string) => process.stderr.write(line + '\n');

async function categoryMapFrom(args: ParsedArgs, root: string): Promise<CategoryMap> {
  const file = stringFlag(args, 'category-map');
  return loadCategoryMap(file === undefined ? undefined : resolve(root, file));
}

async function withPool<T>(ctx: CommandContext, connections: number, fn: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = createPool(ctx.config.db, { connectionLimit: connections });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

const CATEGORY_MAP: Record<string, Flag> = { 'category-map': { type: 'string', value: 'FILE' } };
const SHOP: Record<string, Flag> = {
  shoppers: { type: 'string', value: 'N', default: String(REAL_DATA.shoppers) },
  seed: { type: 'string', value: 'S', default: '42' },
  strength: { type: 'string', value: 'X', default: String(DEFAULT_STRENGTH) },
  lines: { type: 'string', value: 'N' },
  ...CATEGORY_MAP,
};

function generatorFrom(args: ParsedArgs, categoryMap: CategoryMap) {
  const lines = args.flags.lines === undefined ? undefined : intFlag(args, 'lines', { min: 1 });
  return createShopGenerator({
    seed: intFlag(args, 'seed'),
    shoppers: intFlag(args, 'shoppers', { min: 1 }),
    strength: numberFlag(args, 'strength'),
    targetLines: lines,
    categoryMap,
  });
}

const generate: Verb = {
  summary: 'Generate a shop with known ground truth, into the database or as Kaggle-layout CSV files',
  args: {
    options: {
      ...SHOP,
      csv: { type: 'string', value: 'DIR' },
      batch: { type: 'string', value: 'ORDERS', default: '2000' },
      concurrency: { type: 'string', value: 'N', default: '2' },
      append: { type: 'boolean' },
      'if-empty': { type: 'boolean', note: 'not with --append' },
    },
  },
  async run(args, ctx) {
    if (booleanFlag(args, 'if-empty') && !stringFlag(args, 'csv')) {
      const orders = await withPool(ctx, 1, (pool) => createShopDbWriter({ pool, logger: ctx.logger }).countOrders());
      // `npm start` runs this every time: a shop that has orders is left as it is.
      if (orders > 0) {
        ctx.out(`the shop already has ${fmt(orders)} orders; nothing generated`);
        return;
      }
    }
    const gen = generatorFrom(args, await categoryMapFrom(args, ctx.root));
    const progress = createProgress({ label: 'generate', unit: 'lines', total: gen.expectedLines });
    const csv = stringFlag(args, 'csv');
    ctx.logger.info('generate', {
      shoppers: gen.shoppers,
      seed: gen.seed,
      strength: gen.model.strength,
      target: csv ?? 'database',
    });
    let result: { shoppers: number; orders?: number; transactions?: number; lines: number; bytes?: number };
    if (csv) {
      result = await generateToCsv({ generator: gen, dir: resolve(ctx.root, csv), progress });
    } else {
      const concurrency = intFlag(args, 'concurrency', { min: 1 });
      result = await withPool(ctx, concurrency + 1, (pool) =>
        generateToDb({
          generator: gen,
          writer: createShopDbWriter({ pool, logger: ctx.logger }),
          logger: ctx.logger,
          progress,
          batchOrders: intFlag(args, 'batch', { min: 1 }),
          concurrency,
          append: booleanFlag(args, 'append'),
        }),
      );
    }
    const seconds = progress.done();
    ctx.out(
      `generated ${fmt(result.shoppers)} shoppers, ${fmt(result.transactions ?? result.orders ?? 0)} transactions, ${fmt(result.lines)} lines` +
        ` in ${seconds.toFixed(1)} s (${fmt(result.lines / seconds)} lines/s${result.bytes ? `, ${(result.bytes / seconds / 2 ** 20).toFixed(1)} MiB/s` : ''})` +
        ` into ${csv ?? 'the database'}; peak RSS ${await peakRssMiB()} MiB`,
    );
  },
};

const importVerb: Verb = {
  summary: 'Import the DACON (Korean headers) or Kaggle (English headers) files of DIR into the shop database',
  args: {
    positionals: ['DIR'],
    options: {
      'dry-run': { type: 'boolean' },
      append: { type: 'boolean' },
      ...CATEGORY_MAP,
      'show-rejects': { type: 'string', value: 'N', default: '20' },
    },
  },
  async run(args, ctx) {
    const dir = args.positionals[0];
    if (!dir) throw new ValidationError('usage: npm run data -- import DIR');
    const categoryMap = await categoryMapFrom(args, ctx.root);
    const started = Date.now();
    const show = intFlag(args, 'show-rejects');
    if (booleanFlag(args, 'dry-run')) {
      const parsed = await parseShopDirectory(resolve(ctx.root, dir), { categoryMap });
      printImport(
        ctx,
        parsed.files.map((f) => ({ ...f, imported: null })),
        parsed.rejects,
        show,
      );
      ctx.out(`shared transaction ids: ${fmt(parsed.sharedTransactionIds)} (dry run: nothing written)`);
    } else {
      const progress = createProgress({ label: 'import', unit: 'lines' });
      const summary = await withPool(ctx, 3, (pool) =>
        importShopDirectory({
          dir: resolve(ctx.root, dir),
          writer: createShopDbWriter({ pool, logger: ctx.logger }),
          categoryMap,
          progress,
          append: booleanFlag(args, 'append'),
        }),
      );
      progress.done();
      printImport(ctx, summary.files, summary.rejects, show);
      ctx.out(
        `orders ${fmt(summary.orders)}, lines ${fmt(summary.lines)}; shared transaction ids: ${fmt(summary.sharedTransactionIds)}` +
          ` (each customer keeps its own order); split transactions: ${fmt(summary.splitTransactions)}` +
          `; already imported (skipped): ${fmt(summary.alreadyImported)}`,
      );
    }
    ctx.out(`done in ${((Date.now() - started) / 1000).toFixed(1)} s; peak RSS ${await peakRssMiB()} MiB`);
    ctx.logger.info('import finished', { dir });
  },
};

function printImport(ctx: CommandContext, files: ImportReport[], rejects: RejectLog, show: number): void {
  ctx.out('file                      layout  encoding  read      imported  rejected');
  for (const f of files) {
    const imported =
      f.imported === null ? (f.kind === 'tax' || f.kind === 'marketing' ? 'no table' : '-') : fmt(f.imported);
    ctx.out(
      `${f.file.padEnd(26)}${String(f.layout ?? '-').padEnd(8)}${String(f.encoding ?? '-').padEnd(10)}${fmt(f.read).padEnd(10)}${imported.padEnd(10)}${fmt(f.rejected)}`,
    );
  }
  for (const r of rejects.samples.slice(0, show)) ctx.out(`  ${r.file}:${r.line}: ${r.reason}`);
  if (rejects.count > show) ctx.out(`  ... and ${fmt(rejects.count - show)} more rejected rows`);
}

const simulate: Verb = {
  summary: 'Place live orders into the shop database at a chosen rate, with cancellations and refunds',
  args: {
    options: {
      rate: { type: 'string', value: 'R', required: true, note: 'orders per second' },
      duration: { type: 'string', value: 'S' },
      orders: { type: 'string', value: 'N' },
      'cancel-rate': { type: 'string', value: 'X', default: '0.03' },
      'refund-rate': { type: 'string', value: 'X', default: '0.02' },
      'pay-delay-ms': { type: 'string', value: 'MS', default: '2000' },
      'refund-delay-ms': { type: 'string', value: 'MS', default: '30000' },
      concurrency: { type: 'string', value: 'N', default: '4' },
      seed: SHOP.seed!,
      strength: SHOP.strength!,
    },
  },
  async run(args, ctx) {
    const rate = numberFlag(args, 'rate', { min: 0.001 });
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const concurrency = intFlag(args, 'concurrency', { min: 1 });
    try {
      const result = await withPool(ctx, concurrency + 2, (pool) =>
        runSimulator(
          {
            pool,
            writer: createShopDbWriter({ pool, logger: ctx.logger }),
            logger: ctx.logger,
            categoryMap: createCategoryMap(),
            progress: stderrLine,
            signal: abort.signal,
          },
          {
            rate,
            seed: intFlag(args, 'seed'),
            strength: numberFlag(args, 'strength'),
            concurrency,
            durationS: args.flags.duration === undefined ? undefined : numberFlag(args, 'duration'),
            maxOrders: args.flags.orders === undefined ? undefined : intFlag(args, 'orders'),
            cancelRate: numberFlag(args, 'cancel-rate'),
            refundRate: numberFlag(args, 'refund-rate'),
            payDelayMs: intFlag(args, 'pay-delay-ms'),
            refundDelayMs: intFlag(args, 'refund-delay-ms'),
          },
        ),
      );
      ctx.out(
        `placed ${fmt(result.placed)} orders in ${result.seconds.toFixed(1)} s (${fmt(result.rate)}/s); errors ${fmt(result.errors)};` +
          ` paid ${fmt(result.paid)}, cancelled ${fmt(result.cancelled)}, refunded ${fmt(result.refunded)}; peak RSS ${await peakRssMiB()} MiB`,
      );
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};

const stats: Verb = {
  summary: 'Statistics of a data directory (either layout) or of a generated shop, against the published targets',
  args: { positionals: ['[DIR]'], options: { ...SHOP, calibrate: { type: 'boolean' } } },
  async run(args, ctx) {
    const categoryMap = await categoryMapFrom(args, ctx.root);
    const acc = createStatsAccumulator();
    const repeat = createRepeatRateAccumulator(categoryMap);
    const dir = args.positionals[0];
    if (dir) {
      const parsed = await parseShopDirectory(resolve(ctx.root, dir), { categoryMap });
      for (const c of parsed.customers) acc.addCustomer(c);
      for (const l of parsed.sales) {
        acc.addLine(l);
        repeat.add(l);
      }
    } else {
      const gen = generatorFrom(args, categoryMap);
      for (const g of gen.generate()) {
        acc.addCustomer(g.customer);
        for (const l of toSalesLines(g, categoryMap.raw)) {
          acc.addLine(l);
          repeat.add(l);
        }
      }
    }
    const s = acc.result();
    printStats(ctx, s);
    const r = repeat.result();
    ctx.out(
      `repeat-category rate ${r.rate.toFixed(4)} vs baseline ${r.baseline.toFixed(4)} (excess ${excessOf(r).toFixed(4)}, ${fmt(r.units)} shopper-months)`,
    );
    if (booleanFlag(args, 'calibrate')) {
      const fit = strengthForExcess(excessOf(r));
      ctx.out(
        `strength reproducing this excess: ${fit.strength} (generated excess ${fit.achieved.toFixed(4)}); DEFAULT_STRENGTH is ${DEFAULT_STRENGTH}`,
      );
    }
  },
};

function printStats(ctx: CommandContext, s: ShopStats): void {
  ctx.out(
    `shoppers ${fmt(s.shoppers)}  transactions ${fmt(s.transactions)}  lines ${fmt(s.lines)}  products ${fmt(s.products)}  ${s.firstDate}..${s.lastDate}`,
  );
  ctx.out(
    `lines/transaction ${s.linesPerTransaction.toFixed(3)}  transactions/shopper ${s.transactionsPerShopper.toFixed(2)}  active months ${s.activeMonthsPerShopper.toFixed(2)}  shared transaction ids ${fmt(s.sharedTransactionIds)}`,
  );
  ctx.out(
    `quantity median ${s.quantity.median} p95 ${s.quantity.p95} max ${s.quantity.max}; coupon clicked ${(s.couponShares.clicked * 100).toFixed(1)}% used ${(s.couponShares.used * 100).toFixed(1)}% not used ${(s.couponShares.not_used * 100).toFixed(1)}%`,
  );
  ctx.out(
    Object.entries(s.categories)
      .map(([k, v]) => `${k} ${(v.share * 100).toFixed(2)}% @${v.meanPrice.toFixed(2)}`)
      .join('; '),
  );
  if (s.shoppers !== REAL_DATA.shoppers) return;
  const checks = checkAgainstCalibration(s, REAL_DATA);
  const failed = checks.filter((c) => !c.ok);
  ctx.out(`calibration: ${checks.length - failed.length}/${checks.length} targets within tolerance`);
  for (const c of failed) ctx.out(`  off: ${c.name} ${c.actual.toFixed(4)} vs ${c.target} (${c.tolerance})`);
}

export const dataArea: Area = {
  name: 'data',
  summary:
    'Shop data: import the real DACON/Kaggle files, generate a shop with known ground truth, simulate live orders.',
  verbs: { generate, import: importVerb, simulate, stats },
};
