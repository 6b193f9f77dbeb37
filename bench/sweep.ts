import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { booleanFlag, intFlag, stringFlag, type ParsedArgs } from '../core/args.ts';
import type { CommandContext } from '../core/command.ts';
import { AppError } from '../core/errors.ts';
import { spawnJsonChild } from '../core/json-child.ts';
import { createTestRegistry } from '../e2e/harness/test-champion.ts';
import { kafkaBrokers } from '../stack/settings.ts';
import type { Benchmark, Figures } from './benchmark.ts';
import { topOfProfiles } from './cpu-profile-top.ts';
import { requireStack } from './require-stack.ts';
import type { ReferenceOptions, ReferenceResult } from './sweep-reference.ts';
import { createSweepFixture } from './sweep-fixture.ts';
import { deleteTopics, runSweep } from './sweep-run.ts';
import { measureIntake, sampleMessages } from './sweep-intake.ts';

/** The reference in its own process: it loads the native backend, which must not share one with wasm. */
async function measureReferenceInChild(root: string, o: ReferenceOptions): Promise<ReferenceResult> {
  const r = await spawnJsonChild<ReferenceResult>(root, 'bench/sweep-reference.ts', o);
  if (r.ok) return r.value;
  throw new AppError(`the predict reference failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
}

const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;

export const sweepBench: Benchmark = {
  name: 'sweep',
  summary:
    "the scorer's daily sweep over N shoppers (real MariaDB feature store + Kafka): shoppers/s against the champion's own predict rate on the same features, scorer RSS",
  args: {
    options: {
      shoppers: { type: 'string', value: 'N,N', default: '100000' },
      batch: { type: 'string', value: 'N', note: "SCORING_SWEEP_BATCH (default: the scorer's)" },
      'predict-batch': { type: 'string', value: 'N', default: '4096', note: 'rows per call in the reference' },
      'cpu-prof': { type: 'boolean', note: 'profile the scorer (node --cpu-prof) and print where its time went' },
    },
    note: '(needs `npm run stack -- up`; seeds scratch databases and topics of its own and removes them)',
  },
  async run(args: ParsedArgs, ctx: CommandContext): Promise<Figures> {
    const scales = (stringFlag(args, 'shoppers') ?? '100000').split(',').map((s) => Number(s.trim()));
    if (scales.some((n) => !Number.isSafeInteger(n) || n < 1)) throw new AppError('--shoppers takes N[,N...] (N >= 1)');
    const batch = stringFlag(args, 'batch') ? intFlag(args, 'batch', { min: 1 }) : undefined;
    const predictBatch = intFlag(args, 'predict-batch', { min: 1 });
    const profile = booleanFlag(args, 'cpu-prof');
    const stack = await requireStack(ctx);
    const brokers = kafkaBrokers(stack);
    const figures: Figures = { batch: batch ?? null };
    for (const shoppers of scales) {
      const t0 = performance.now();
      const fixture = await createSweepFixture(stack, shoppers);
      const models = await createTestRegistry();
      const profDir = profile ? await mkdtemp(join(tmpdir(), 'sweep-prof-')) : undefined;
      try {
        const version = await models.addVersion(7);
        await models.registry.promote(version);
        ctx.out(
          `${shoppers} shoppers (${fixture.orders} orders) seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
        const ref = await measureReferenceInChild(ctx.root, {
          store: fixture.store.db,
          modelsDir: models.dir,
          version,
          rows: Math.min(shoppers, 32_768),
          predictBatch,
          seconds: 3,
        });
        ctx.out(
          `  model alone (${ref.backend}, batch ${predictBatch}): predict ${ref.predictRowsPerSec} rows/s, predict + explain ${ref.predictExplainRowsPerSec} rows/s`,
        );
        const run = await runSweep({
          root: ctx.root,
          brokers,
          shop: fixture.shop.db,
          store: fixture.store.db,
          modelsDir: models.dir,
          shoppers,
          batch,
          cpuProfDir: profDir,
          out: ctx.out,
        });
        const scored = run.done.counts?.shoppers ?? 0;
        const rate = Math.round(scored / run.wallSeconds);
        ctx.out(
          `  sweep: ${scored} shoppers in ${run.wallSeconds.toFixed(1)} s = ${rate} shoppers/s (scorer's own report: ${run.done.counts?.shoppersPerSecond}/s over ${run.done.durationMs} ms), scorer peak RSS ${run.peakRssMiB} MiB`,
        );
        ctx.out(
          `  sweep / model predict: x${ratio(rate, ref.predictRowsPerSec)} (target >= 1 would mean scoring never slower than the model); / predict + explain: x${ratio(rate, ref.predictExplainRowsPerSec)}`,
        );
        const phaseTotal = Object.values(run.phasesMs).reduce((a, b) => a + b, 0);
        ctx.out(
          `  scorer's sweep phases (s, summed over partitions): ${Object.entries(run.phasesMs)
            .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} (${Math.round((v / Math.max(1, phaseTotal)) * 100)}%)`)
            .join(', ')}`,
        );
        if (scored !== shoppers) throw new AppError(`the sweep scored ${scored} shoppers, not ${shoppers}`);
        const samples = await sampleMessages(brokers, run.recommendationsTopic);
        const bytes = samples.reduce((a, m) => a + (m.value?.length ?? 0), 0) / samples.length;
        const intake = await measureIntake(brokers, samples, {
          count: Math.min(shoppers, 30_000),
          batch: batch ?? 4096,
          partitions: 3,
        });
        ctx.out(
          `  broker intake alone (same-size messages, ~${Math.round(bytes)} bytes, in transactions of ${batch ?? 4096}): ${intake.messagesPerSec} messages/s; sweep / intake: x${ratio(rate, intake.messagesPerSec)}`,
        );
        if (profDir) {
          ctx.out('  where the scorer spent its CPU (self time, % of busy samples):');
          for (const e of await topOfProfiles(profDir, ctx.root, 20))
            ctx.out(`    ${String(e.selfPct).padStart(5)}%  ${e.name}  ${e.where}`);
        }
        await deleteTopics(brokers, run.topics);
        Object.assign(figures, {
          [`${shoppers}.sweepShoppersPerSec`]: rate,
          [`${shoppers}.sweepSeconds`]: Math.round(run.wallSeconds * 10) / 10,
          [`${shoppers}.predictRowsPerSec`]: ref.predictRowsPerSec,
          [`${shoppers}.predictExplainRowsPerSec`]: ref.predictExplainRowsPerSec,
          [`${shoppers}.sweepVsPredict`]: ratio(rate, ref.predictRowsPerSec),
          [`${shoppers}.sweepVsPredictExplain`]: ratio(rate, ref.predictExplainRowsPerSec),
          [`${shoppers}.scorerPeakRssMiB`]: run.peakRssMiB,
          [`${shoppers}.intakeMessagesPerSec`]: intake.messagesPerSec,
          [`${shoppers}.sweepVsIntake`]: ratio(rate, intake.messagesPerSec),
          [`${shoppers}.messageBytes`]: Math.round(bytes),
          ...Object.fromEntries(Object.entries(run.phasesMs).map(([k, v]) => [`${shoppers}.phase.${k}Ms`, v])),
          backend: ref.backend,
        });
      } finally {
        await models.cleanup();
        await fixture.drop();
        if (profDir) await rm(profDir, { recursive: true, force: true });
      }
    }
    return figures;
  },
};
