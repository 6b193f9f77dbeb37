import type { BackendChoice } from '../backend/select-backend.ts';
import { featureSchemaHash } from '../data/feature-layout.ts';
import type { HistorySource } from '../data/shopper-history.ts';
import { formatTable, targetsMet } from '../evaluate/evaluation-table.ts';
import { metricValue } from '../evaluate/metrics.ts';
import type { ArtifactMeta } from '../registry/artifact.ts';
import { saveArtifact } from '../registry/artifact.ts';
import type { Registry, VersionEntry } from '../registry/registry.ts';
import { loadChampion, type ChampionScorer } from '../registry/champion.ts';
import { formatDifference, type Comparison } from '../evaluate/compare.ts';
import { runPipeline, W_AND_D, type Incumbent, type PipelineOptions } from './pipeline.ts';
import type { ProgressBar } from './progress-bar.ts';

export interface TrainRunDeps {
  backend: BackendChoice;
  source: HistorySource;
  registry: Registry;
  out: (line: string) => void;
  progress?: (label: string) => (epoch: number) => ProgressBar;
}

/** The metric promotion compares: ranking quality of the top three, what the shop shows. */
export const PROMOTION_METRIC = 'ndcg@3';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The champion, if it can score this data: same categories and the same feature code. A model
 * trained under other code refuses to load (schema hash); then only stored metrics compare.
 */
async function incumbentOf(deps: TrainRunDeps): Promise<(Incumbent & { scorer: ChampionScorer }) | null> {
  if (!(await deps.registry.champion())) return null;
  try {
    const scorer = await loadChampion({ tf: deps.backend.tf, registry: deps.registry });
    if (scorer.categories.join('\n') !== deps.source.categories.join('\n')) {
      deps.out(`champion ${scorer.version} predicts other categories: not compared on the same rows`);
      scorer.dispose();
      return null;
    }
    return { name: `champion ${scorer.version}`, score: (rows) => scorer.score(rows), scorer };
  } catch (cause) {
    deps.out(`champion cannot score this data (${(cause as Error).message}): not compared on the same rows`);
    return null;
  }
}

export interface TrainedVersion {
  entry: VersionEntry;
  meta: ArtifactMeta;
  /** The new model minus the champion on the promotion metric, on the same held-out rows. */
  versusChampion: (Comparison & { champion: string }) | null;
}

/** Train, evaluate, save the artifact and register it as a candidate; prints the evaluation table. */
export async function trainAndRegister(deps: TrainRunDeps, opts: PipelineOptions): Promise<TrainedVersion> {
  const incumbent = await incumbentOf(deps);
  const run = await runPipeline({ ...deps, incumbent: incumbent ?? undefined }, opts).finally(() =>
    incumbent?.scorer.dispose(),
  );
  const version = await deps.registry.newVersion();
  const wd = run.evaluation.rows.find((r) => r.name === W_AND_D)!;
  const meta: ArtifactMeta = {
    version,
    createdAt: new Date().toISOString(),
    schemaHash: featureSchemaHash(),
    backend: `${deps.backend.name} (${deps.backend.engine})`,
    libraries: deps.backend.versions,
    encoder: run.encoder.state,
    source: deps.source.description,
    data: {
      from: iso(opts.snapshot.from),
      to: iso(opts.snapshot.to),
      trainEnd: iso(run.range.trainEnd),
      validationEnd: iso(run.range.validationEnd),
      stepDays: opts.snapshot.stepDays,
      horizonDays: opts.snapshot.horizonDays,
    },
    counts: run.counts,
    training: {
      epochs: run.fit.epochs.length,
      bestEpoch: run.fit.bestEpoch,
      stoppedEarly: run.fit.stoppedEarly,
      parameters: run.model.countParams(),
    },
    evaluation: run.evaluation,
  };
  await saveArtifact(deps.backend.tf, deps.registry.pathOf(version), run.model, meta);
  run.model.dispose();
  const entry = await deps.registry.register(meta, {
    name: PROMOTION_METRIC,
    value: metricValue(wd.metrics, PROMOTION_METRIC),
  });
  for (const line of formatTable(run.evaluation)) deps.out(line);
  const t = targetsMet(run.evaluation, W_AND_D);
  const clearly = t.clearly === null ? '' : ` (every interval above 0: ${t.clearly ? 'yes' : 'no'})`;
  deps.out(
    `W&D beats every baseline on NDCG@3 and Recall@3: ${t.beatsBaselines ? 'yes' : 'no'}${clearly}${t.ceilingShare !== null ? `; NDCG@3 is ${(t.ceilingShare * 100).toFixed(1)}% of the ceiling` : ''}`,
  );
  deps.out(`registered ${version} (candidate, backend ${meta.backend}) in ${deps.registry.pathOf(version)}`);
  const head =
    incumbent &&
    run.evaluation.comparisons?.find((c) => c.baseline === incumbent.name && c.metric === PROMOTION_METRIC);
  return { entry, meta, versusChampion: head ? { ...head, champion: incumbent.scorer.version } : null };
}

/**
 * `train --promote`: when the champion could score the new test rows, the decision is made on
 * those same rows (a stored metric from another period is not comparable); otherwise the
 * registry compares stored metrics. A point lead is enough: a scheduled retrain on newer data
 * should replace the champion unless it is worse.
 */
export async function promoteIfBetter(
  registry: Registry,
  trained: TrainedVersion,
): Promise<{ promoted: boolean; reason: string }> {
  const head = trained.versusChampion;
  if (!head) return registry.promote(trained.entry.version);
  if (!(head.diff > 0)) {
    return {
      promoted: false,
      reason: `does not beat champion ${head.champion} on the same held-out rows: ${formatDifference(head)}`,
    };
  }
  const r = await registry.promote(trained.entry.version, { force: true });
  return {
    promoted: r.promoted,
    reason: `beats champion ${head.champion} on the same held-out rows: ${formatDifference(head)}; ${r.reason}`,
  };
}
