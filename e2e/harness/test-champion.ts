import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '../../model/backend/select-backend.ts';
import { fitEncoder } from '../../model/data/encoder.ts';
import { featureSchemaHash } from '../../model/data/feature-layout.ts';
import { saveArtifact, type ArtifactMeta } from '../../model/registry/artifact.ts';
import { createRegistry, type Registry } from '../../model/registry/registry.ts';
import { buildWideDeep } from '../../model/wide-deep/wide-deep-model.ts';
import { createCategoryMap } from '../../features/category-map.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import { syntheticFeatures } from './synthetic-features.ts';

export interface TestRegistry {
  dir: string;
  registry: Registry;
  /** Registers an untrained W&D (wide weights random by seed, so its scores and reasons differ per seed). */
  addVersion(seed: number): Promise<string>;
  cleanup(): Promise<void>;
}

/** A model registry in a temporary directory, with versions built in a second rather than trained. */
export async function createTestRegistry(): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'models-'));
  const registry = createRegistry({ dir });
  const { tf, name, engine } = await selectBackend({ only: ['wasm', 'cpu'] });
  const categories = createCategoryMap().model;
  const rows: UserFeatures[] = Array.from({ length: 50 }, (_, i) => syntheticFeatures(i + 1, { orders: i % 4 }));
  const encoder = fitEncoder(rows, { categories, lastN: 5 });
  return {
    dir,
    registry,
    async addVersion(seed) {
      const version = await registry.newVersion();
      const model = buildWideDeep(tf, { layout: encoder.layout, K: categories.length, seed });
      const wide = model.getLayer('wide_ids');
      const [table] = wide.getWeights();
      const random = tf.randomNormal(table!.shape, 0, 2, 'float32', seed);
      wide.setWeights([random]);
      random.dispose();
      const at = new Date().toISOString();
      const meta = {
        version,
        createdAt: at,
        schemaHash: featureSchemaHash(),
        backend: `${name} (${engine})`,
        encoder: encoder.state,
        source: { test: seed },
        data: { from: at, to: at, trainEnd: at, validationEnd: at, stepDays: 7, horizonDays: 28 },
        counts: { shoppers: rows.length, train: rows.length, validation: 0, test: 0 },
        training: { epochs: 0, bestEpoch: 0, stoppedEarly: false, parameters: model.countParams() },
        // A held-out window, so events about this version (models.v1) can be built as for a trained one.
        evaluation: { rows: [], comparisons: [], testFrom: Date.parse(at), testTo: Date.parse(at) },
      } as unknown as ArtifactMeta;
      await saveArtifact(tf, registry.pathOf(version), model, meta);
      model.dispose();
      await registry.register(meta, { name: 'ndcg@3', value: seed });
      return version;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
