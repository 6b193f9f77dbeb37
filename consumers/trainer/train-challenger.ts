import { loadCategoryMap } from '../../features/category-map.ts';
import { selectBackend } from '../../model/backend/select-backend.ts';
import { createDbSource } from '../../model/data/db-source.ts';
import { createRegistryTable } from '../../model/registry/mysql-table.ts';
import { createRegistry } from '../../model/registry/registry.ts';
import { DEFAULT_PIPELINE, type PipelineOptions } from '../../model/train/pipeline.ts';
import type { ProgressBar } from '../../model/train/progress-bar.ts';
import { trainAndRegister } from '../../model/train/train-run.ts';
import { createPool } from '../../prisma/db/pool.ts';
import type { TrainJob, TrainOutcome } from './train-protocol.ts';

export interface TrainChallengerDeps {
  onEpoch(label: string, epoch: number, line: string): void;
}

/**
 * Trains a challenger on the newest data and registers it as a candidate; the champion (if it can)
 * is scored on the same held-out rows inside `trainAndRegister`. Promotion is not decided here.
 */
export async function trainChallenger(job: TrainJob, deps: TrainChallengerDeps): Promise<TrainOutcome> {
  const lines: string[] = [];
  const out = (l: string) => lines.push(l);
  const backend = await selectBackend({ out });
  const pool = createPool(job.shop, { connectionLimit: 2 });
  try {
    const registry = createRegistry({ dir: job.modelsDir, table: createRegistryTable({ pool }) });
    const champion = (await registry.champion())?.version ?? null;
    const categoryMap = await loadCategoryMap(job.categoryMapFile);
    const source = await createDbSource({ pool, categoryMap, to: new Date(job.range.to) });
    const opts: PipelineOptions = {
      ...DEFAULT_PIPELINE,
      snapshot: { ...job.range, stepDays: job.stepDays, horizonDays: 28 },
      fit: { ...DEFAULT_PIPELINE.fit, maxEpochs: job.maxEpochs },
      logisticFit: {
        ...DEFAULT_PIPELINE.logisticFit,
        maxEpochs: Math.min(job.maxEpochs, DEFAULT_PIPELINE.logisticFit.maxEpochs),
      },
    };
    const progress =
      (label: string) =>
      (epoch: number): ProgressBar => ({
        update: () => {},
        finish: (line) => deps.onEpoch(label, epoch, line),
      });
    const trained = await trainAndRegister({ backend, source, registry, out, progress }, opts);
    return { version: trained.entry.version, champion, compared: trained.versusChampion !== null, lines };
  } finally {
    await pool.end();
  }
}
