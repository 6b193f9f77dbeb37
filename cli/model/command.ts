import { join } from 'node:path';
import type { Area, CommandContext } from '../../core/command.ts';
import {
  booleanFlag,
  intFlag,
  numberFlag,
  stringFlag,
  type ArgsSpec,
  type Flag,
  type ParsedArgs,
} from '../../core/args.ts';
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
import { PUBLISHING, publishModelEvents } from './publish.ts';
import { onlineVerb } from './online-command.ts';
import { retrainVerb } from './retrain-command.ts';
import { shadowVerb } from './shadow-command.ts';
import { trainerVerb } from './trainer-command.ts';

/** Where the registry lives; every verb takes these. */
const REGISTRY: Record<string, Flag> = {
  'models-dir': { type: 'string', value: 'DIR', note: 'default .models/' },
  'no-db': { type: 'boolean' },
};
const fit = DEFAULT_PIPELINE.fit;
const TRAIN: ArgsSpec = {
  options: {
    from: { type: 'string', value: 'T' },
    to: { type: 'string', value: 'T' },
    generated: { type: 'boolean' },
    shoppers: { type: 'string', value: 'N', default: '1468', note: 'with --generated' },
    seed: { type: 'string', value: 'S', default: '42', note: 'with --generated' },
    'category-map': { type: 'string', value: 'FILE' },
    'step-days': { type: 'string', value: 'N', default: '7' },
    'horizon-days': { type: 'string', value: 'N', default: '28' },
    'max-epochs': { type: 'string', value: 'N', default: String(fit.maxEpochs) },
    'batch-size': { type: 'string', value: 'N', default: String(fit.batchSize) },
    'learning-rate': { type: 'string', value: 'X', default: String(fit.learningRate) },
    patience: { type: 'string', value: 'N', default: String(fit.patience) },
    backend: { type: 'string', value: 'NAME' },
    promote: { type: 'boolean' },
    ...REGISTRY,
    ...PUBLISHING,
  },
};

/** The registry on disk (--models-dir, default .models/) mirrored to model_versions unless --no-db. */
async function withRegistry<T>(
  args: ParsedArgs,
  ctx: CommandContext,
  fn: (r: Registry, pool: Pool | null) => Promise<T>,
): Promise<T> {
  const pool = booleanFlag(args, 'no-db') ? null : createPool(ctx.config.db);
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

async function train(args: ParsedArgs, ctx: CommandContext) {
  const generated = booleanFlag(args, 'generated');
  const backendName = stringFlag(args, 'backend') as BackendName | undefined;
  if (backendName && !BACKENDS.includes(backendName))
    throw new ValidationError(`--backend must be one of ${BACKENDS.join(', ')}`);
  const backend = await selectBackend({ out: ctx.out, only: backendName ? [backendName] : undefined });
  return withRegistry(args, ctx, async (registry, pool) => {
    const range = await dataRange(pool, args, generated);
    const mapFile = stringFlag(args, 'category-map');
    const categoryMap = await loadCategoryMap(mapFile);
    const source = generated
      ? createGeneratedSource({ seed: intFlag(args, 'seed'), shoppers: intFlag(args, 'shoppers', { min: 1 }) })
      : await createDbSource({ pool: pool ?? createPool(ctx.config.db), categoryMap, to: new Date(range.to) });
    const opts: PipelineOptions = {
      ...DEFAULT_PIPELINE,
      snapshot: {
        ...range,
        stepDays: intFlag(args, 'step-days', { min: 1 }),
        horizonDays: intFlag(args, 'horizon-days', { min: 1 }),
      },
      fit: {
        ...fit,
        maxEpochs: intFlag(args, 'max-epochs', { min: 1 }),
        batchSize: intFlag(args, 'batch-size', { min: 1 }),
        learningRate: numberFlag(args, 'learning-rate'),
        patience: intFlag(args, 'patience', { min: 1 }),
      },
    };
    const progress = (label: string) => (epoch: number) => epochProgress(ctx, `${label} epoch ${epoch}`);
    const trained = await trainAndRegister({ backend, source, registry, out: ctx.out, progress }, opts);
    if (booleanFlag(args, 'promote')) {
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
      // The replaced champion's retired event first, then the decision (which the publisher also keys `champion`).
      const retired =
        r.promoted && previous
          ? await championChangeEvents(registry, { ...change(trained.meta.version, previous, 'promoted'), reason: '' })
          : [];
      await publishModelEvents(args, ctx, [...retired.slice(0, -1), decision]);
    }
  });
}

async function evaluate(args: ParsedArgs, ctx: CommandContext) {
  return withRegistry(args, ctx, async (registry) => {
    const wanted = stringFlag(args, 'version') ?? (await registry.champion())?.version;
    if (!wanted) {
      ctx.out('no champion yet: npm run model -- train, then promote V');
      return 1;
    }
    const meta = await readMeta(registry.pathOf(wanted));
    if (booleanFlag(args, 'json'))
      ctx.out(JSON.stringify({ version: wanted, backend: meta.backend, data: meta.data, evaluation: meta.evaluation }));
    else for (const line of [`${wanted} (backend ${meta.backend})`, ...formatTable(meta.evaluation)]) ctx.out(line);
  });
}

async function list(args: ParsedArgs, ctx: CommandContext) {
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

async function promote(args: ParsedArgs, ctx: CommandContext) {
  const version = args.positionals[0];
  if (!version) throw new ValidationError('usage: npm run model -- promote VERSION [--force]');
  return withRegistry(args, ctx, async (registry) => {
    const previous = (await registry.champion())?.version ?? null;
    const r = await registry.promote(version, { force: booleanFlag(args, 'force') });
    ctx.out(`${r.promoted ? 'promoted' : 'not promoted'}: ${r.reason}`);
    if (!r.promoted) return 1;
    const reason = `promoted by hand${booleanFlag(args, 'force') ? ' (--force)' : ''}: ${r.reason}`;
    const events = await championChangeEvents(registry, { ...change(version, previous, 'promoted'), reason });
    await publishModelEvents(args, ctx, events);
    return 0;
  });
}

async function rollback(args: ParsedArgs, ctx: CommandContext) {
  return withRegistry(args, ctx, async (registry) => {
    const previous = (await registry.champion())?.version ?? null;
    const restored = (await registry.rollback()).version;
    ctx.out(`champion is now ${restored}`);
    const reason = `rolled back by hand from ${previous}`;
    const events = await championChangeEvents(registry, { ...change(restored, previous, 'rolled-back'), reason });
    await publishModelEvents(args, ctx, events);
  });
}

async function prune(args: ParsedArgs, ctx: CommandContext) {
  return withRegistry(args, ctx, async (registry) => {
    const removed = await registry.prune(intFlag(args, 'keep'));
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

export const modelArea: Area = {
  name: 'model',
  summary:
    'Wide & Deep next-category model: train from the shop database (or the generator), evaluate against baselines, and manage versions.',
  verbs: {
    train: {
      summary: 'train on snapshots by event time, print the evaluation table, register a candidate',
      args: TRAIN,
      run: train,
    },
    evaluate: {
      summary: "print the champion's evaluation table (W&D, baselines, ceiling)",
      args: { options: { json: { type: 'boolean' }, version: { type: 'string', value: 'V' }, ...REGISTRY } },
      run: evaluate,
    },
    list: { summary: 'list model versions and their status', args: { options: REGISTRY }, run: list },
    promote: {
      summary: 'make V the champion if it beats the current one on NDCG@3',
      args: { positionals: ['V'], options: { force: { type: 'boolean' }, ...REGISTRY, ...PUBLISHING } },
      run: promote,
    },
    rollback: {
      summary: 'give the champion back to the version it replaced',
      args: { options: { ...REGISTRY, ...PUBLISHING } },
      run: rollback,
    },
    retrain: retrainVerb,
    trainer: trainerVerb,
    shadow: shadowVerb,
    online: onlineVerb,
    prune: {
      summary: 'delete all but the newest N non-champion versions',
      args: { options: { keep: { type: 'string', value: 'N', default: '3' }, ...REGISTRY } },
      run: prune,
    },
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
