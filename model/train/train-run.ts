import type { BackendChoice } from '../backend/select-backend.ts';
import { featureSchemaHash } from '../data/feature-layout.ts';
import type { HistorySource } from '../data/shopper-history.ts';
import { formatTable, targetsMet } from '../evaluate/evaluation-table.ts';
import { metricValue } from '../evaluate/metrics.ts';
import type { ArtifactMeta } from '../registry/artifact.ts';
import { saveArtifact } from '../registry/artifact.ts';
import type { Registry, VersionEntry } from '../registry/registry.ts';
import { runPipeline, W_AND_D, type PipelineOptions } from './pipeline.ts';
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

/** Train, evaluate, save the artifact and register it as a candidate; prints the evaluation table. */
export async function trainAndRegister(deps: TrainRunDeps, opts: PipelineOptions): Promise<{ entry: VersionEntry; meta: ArtifactMeta }> {
  const run = await runPipeline(deps, opts);
  const version = await deps.registry.newVersion();
  const wd = run.evaluation.rows.find((r) => r.name === W_AND_D)!;
  const meta: ArtifactMeta = {
    version,
    createdAt: new Date().toISOString(),
    schemaHash: featureSchemaHash(),
    backend: `${deps.backend.name} (${deps.backend.engine})`,
    encoder: run.encoder.state,
    source: deps.source.description,
    data: {
      from: iso(opts.snapshot.from), to: iso(opts.snapshot.to), trainEnd: iso(run.range.trainEnd), validationEnd: iso(run.range.validationEnd),
      stepDays: opts.snapshot.stepDays, horizonDays: opts.snapshot.horizonDays,
    },
    counts: run.counts,
    training: { epochs: run.fit.epochs.length, bestEpoch: run.fit.bestEpoch, stoppedEarly: run.fit.stoppedEarly, parameters: run.model.countParams() },
    evaluation: run.evaluation,
  };
  await saveArtifact(deps.backend.tf, deps.registry.pathOf(version), run.model, meta);
  run.model.dispose();
  const entry = await deps.registry.register(meta, { name: PROMOTION_METRIC, value: metricValue(wd.metrics, PROMOTION_METRIC) });
  for (const line of formatTable(run.evaluation)) deps.out(line);
  const t = targetsMet(run.evaluation, W_AND_D);
  deps.out(`W&D beats every baseline on NDCG@3 and Recall@3: ${t.beatsBaselines ? 'yes' : 'no'}${t.ceilingShare !== null ? `; NDCG@3 is ${(t.ceilingShare * 100).toFixed(1)}% of the ceiling` : ''}`);
  deps.out(`registered ${version} (candidate, backend ${meta.backend}) in ${deps.registry.pathOf(version)}`);
  return { entry, meta };
}
