import { join } from 'node:path';
import type { Area, CommandContext } from '../../core/command.ts';
import { intFlag, numberFlag, parseArgs, stringFlag, type ParsedArgs } from '../../core/args.ts';
import { createPool, type Pool } from '../../prisma/db/pool.ts';
import { loadCategoryMap } from '../../features/category-map.ts';
import { ValidationError } from '../../core/errors.ts';
import { selectBackend, BACKENDS, type BackendName } from '../../model/backend/select-backend.ts';
import { createDbSource } from '../../model/data/db-source.ts';
import { createGeneratedSource } from '../../model/data/generated-source.ts';
import { formatTable } from '../../model/evaluate/evaluation-table.ts';
import { readMeta } from '../../model/registry/artifact.ts';
import { createRegistryTable } from '../../model/registry/mysql-table.ts';
import { createRegistry, type Registry } from '../../model/registry/registry.ts';
import { DEFAULT_PIPELINE, type PipelineOptions } from '../../model/train/pipeline.ts';
import type { ProgressBar } from '../../model/train/progress-bar.ts';
import { createProgress } from '../../core/progress.ts';
import { promoteIfBetter, trainAndRegister } from '../../model/train/train-run.ts';
import { championChangeEvents } from '../../model/registry/announce.ts';
import { decisionEvent } from '../../model/registry/model-events.ts';
import { publishModelEvents } from './publish.ts';
import { onlineVerb } from './online-command.ts';
import { retrainVerb } from './retrain-command.ts';
import { shadowVerb } from './shadow-command.ts';
import { trainerVerb } from './trainer-command.ts';

const BOOLEANS = ['json', 'no-db', 'generated', 'promote', 'force', 'no-publish'];

/** The registry on disk (--models-dir, default .models/) mirrored to model_versions unless --no-db. */
async function withRegistry<T>(
  args: ParsedArgs,
  ctx: CommandContext,
  fn: (r: Registry, pool: Pool | null) => Promise<T>,
): Promise<T> {
  const pool = args.flags['no-db'] ? null : createPool(ctx.config.db);
  try {
    const dir = stringFlag(args, 'models-dir') ?? join(ctx.root, '.models');
    return await fn(createRegistry({ dir, table: pool ? createRegistryTable({ pool }) : null }), pool);
  } finally {
    await pool?.end();
  }
}

function dateFlag(args: ParsedArgs, name: string): number | undefined {
  const raw = stringFlag(args, name);
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new ValidationError(`--${name} must be a date (YYYY-MM-DD or ISO), got ${raw}`);
  return ms;
}

async function dataRange(
  pool: Pool | null,
  args: ParsedArgs,
  generated: boolean,
): Promise<{ from: number; to: number }> {
  let from = dateFlag(args, 'from'),
    to = dateFlag(args, 'to');
  if ((from === undefined || to === undefined) && generated) {
    from ??= Date.UTC(2019, 0, 1);
    to ??= Date.UTC(2020, 0, 1);
  }
  if ((from === undefined || to === undefined) && pool) {
    const [rows] = await pool.query('SELECT MIN(placed_at) AS lo, MAX(placed_at) AS hi FROM orders');
    const r = (rows as { lo: Date | null; hi: Date | null }[])[0];
    if (!r?.lo || !r.hi) throw new ValidationError('the shop database has no orders to train on');
    from ??= r.lo.getTime();
    to ??= r.hi.getTime() + 86_400_000;
  }
  if (from === undefined || to === undefined || from >= to) throw new ValidationError('need --from < --to');
  return { from, to };
}

async function train(argv: string[], ctx: CommandContext) {
  const args = parseArgs(argv, BOOLEANS);
  const generated = args.flags.generated === true;
  const backendName = stringFlag(args, 'backend') as BackendName | undefined;
  if (backendName && !BACKENDS.includes(backendName))
    throw new ValidationError(`--backend must be one of ${BACKENDS.join(', ')}`);
  const backend = await selectBackend({ out: ctx.out, only: backendName ? [backendName] : undefined });
  return withRegistry(args, ctx, async (registry, pool) => {
    const range = await dataRange(pool, args, generated);
    const mapFile = stringFlag(args, 'category-map');
    const categoryMap = await loadCategoryMap(mapFile);
    const source = generated
      ? createGeneratedSource({ seed: intFlag(args, 'seed', 42), shoppers: intFlag(args, 'shoppers', 1468, 1) })
      : await createDbSource({ pool: pool ?? createPool(ctx.config.db), categoryMap, to: new Date(range.to) });
    const opts: PipelineOptions = {
      ...DEFAULT_PIPELINE,
      snapshot: {
        ...range,
        stepDays: intFlag(args, 'step-days', 7, 1),
        horizonDays: intFlag(args, 'horizon-days', 28, 1),
      },
      fit: {
        ...DEFAULT_PIPELINE.fit,
        maxEpochs: intFlag(args, 'max-epochs', DEFAULT_PIPELINE.fit.maxEpochs, 1),
        batchSize: intFlag(args, 'batch-size', DEFAULT_PIPELINE.fit.batchSize, 1),
        learningRate: numberFlag(args, 'learning-rate', DEFAULT_PIPELINE.fit.learningRate),
        patience: intFlag(args, 'patience', DEFAULT_PIPELINE.fit.patience, 1),
      },
    };
    const progress = (label: string) => (epoch: number) => epochProgress(ctx, `${label} epoch ${epoch}`);
    const trained = await trainAndRegister({ backend, source, registry, out: ctx.out, progress }, opts);
    if (args.flags.promote) {
      const previous = (await registry.champion())?.version ?? null;
      const r = await promoteIfBetter(registry, trained);
      ctx.out(`${r.promoted ? 'promoted' : 'not promoted'}: ${r.reason}`);
      const decision = decisionEvent({
        meta: trained.meta,
        promoted: r.promoted,
        reason: r.reason,
        comparedWith: previous,
        runId: null,
        decidedBy: 'train',
        minGain: null,
        at: new Date(),
      });
      const retired =
        r.promoted && previous
          ? await championChangeEvents(registry, { ...change(trained.meta.version, previous, 'promoted'), reason: '' })
          : [];
      await publishModelEvents(args, ctx, [...retired.slice(0, -1), decision]);
    }
  });
}

async function evaluate(argv: string[], ctx: CommandContext) {
  const args = parseArgs(argv, BOOLEANS);
  return withRegistry(args, ctx, async (registry) => {
    const wanted = stringFlag(args, 'version') ?? (await registry.champion())?.version;
    if (!wanted) {
      ctx.out('no champion yet: npm run model -- train, then promote V');
      return 1;
    }
    const meta = await readMeta(registry.pathOf(wanted));
    if (args.flags.json)
      ctx.out(JSON.stringify({ version: wanted, backend: meta.backend, data: meta.data, evaluation: meta.evaluation }));
    else for (const line of [`${wanted} (backend ${meta.backend})`, ...formatTable(meta.evaluation)]) ctx.out(line);
  });
}

async function list(argv: string[], ctx: CommandContext) {
  const args = parseArgs(argv, BOOLEANS);
  return withRegistry(args, ctx, async (registry) => {
    const all = await registry.list();
    if (!all.length) ctx.out('no model versions yet');
    for (const e of all) {
      ctx.out(
        `${e.version.padEnd(24)} ${e.status.padEnd(9)} ${e.metric} ${e.metricValue.toFixed(4)}  ${e.backend}  data ${e.dataFrom.slice(0, 10)}..${e.dataTo.slice(0, 10)}`,
      );
    }
  });
}

async function promote(argv: string[], ctx: CommandContext) {
  const args = parseArgs(argv, BOOLEANS);
  const version = args.positionals[0];
  if (!version) throw new ValidationError('usage: npm run model -- promote VERSION [--force]');
  return withRegistry(args, ctx, async (registry) => {
    const previous = (await registry.champion())?.version ?? null;
    const r = await registry.promote(version, { force: args.flags.force === true });
    ctx.out(`${r.promoted ? 'promoted' : 'not promoted'}: ${r.reason}`);
    if (!r.promoted) return 1;
    const reason = `promoted by hand${args.flags.force ? ' (--force)' : ''}: ${r.reason}`;
    await publishModelEvents(
      args,
      ctx,
      await championChangeEvents(registry, { ...change(version, previous, 'promoted'), reason }),
    );
    return 0;
  });
}

async function rollback(argv: string[], ctx: CommandContext) {
  const args = parseArgs(argv, BOOLEANS);
  return withRegistry(args, ctx, async (registry) => {
    const previous = (await registry.champion())?.version ?? null;
    const restored = (await registry.rollback()).version;
    ctx.out(`champion is now ${restored}`);
    const reason = `rolled back by hand from ${previous}`;
    await publishModelEvents(
      args,
      ctx,
      await championChangeEvents(registry, { ...change(restored, previous, 'rolled-back'), reason }),
    );
  });
}

async function prune(argv: string[], ctx: CommandContext) {
  const args = parseArgs(argv, BOOLEANS);
  return withRegistry(args, ctx, async (registry) => {
    const removed = await registry.prune(intFlag(args, 'keep', 3));
    ctx.out(removed.length ? `pruned ${removed.join(', ')}` : 'nothing to prune');
  });
}

const change = (champion: string, previous: string | null, event: 'promoted' | 'rolled-back') => ({
  champion,
  previous,
  event,
  decidedBy: 'command',
  at: new Date(),
});

const common = '[--models-dir DIR] [--no-db]';
const publishing = '[--no-publish] [--models-topic models.v1]';

export const modelArea: Area = {
  name: 'model',
  summary:
    'Wide & Deep next-category model: train from the shop database (or the generator), evaluate against baselines, and manage versions.',
  verbs: {
    train: {
      summary: 'train on snapshots by event time, print the evaluation table, register a candidate',
      usage: `[--from T --to T] [--generated --shoppers N --seed S] [--step-days 7] [--horizon-days 28] [--max-epochs N] [--batch-size 256] [--learning-rate 0.001] [--patience 3] [--backend NAME] [--promote] ${common} ${publishing}`,
      run: train,
    },
    evaluate: {
      summary: "print the champion's evaluation table (W&D, baselines, ceiling)",
      usage: `[--json] [--version V] ${common}`,
      run: evaluate,
    },
    list: { summary: 'list model versions and their status', usage: common, run: list },
    promote: {
      summary: 'make V the champion if it beats the current one on NDCG@3',
      usage: `V [--force] ${common} ${publishing}`,
      run: promote,
    },
    rollback: {
      summary: 'give the champion back to the version it replaced',
      usage: `${common} ${publishing}`,
      run: rollback,
    },
    retrain: retrainVerb,
    trainer: trainerVerb,
    shadow: shadowVerb,
    online: onlineVerb,
    prune: { summary: 'delete all but the newest N non-champion versions', usage: `[--keep 3] ${common}`, run: prune },
  },
};

function epochProgress(ctx: CommandContext, label: string): ProgressBar {
  const p = createProgress({ label, unit: '%', total: 100 });
  return {
    update: (fraction, detail) => p.update(Math.round(fraction * 100), detail),
    finish(line) {
      p.done();
      ctx.out(`${label}: ${line}`);
    },
  };
}
