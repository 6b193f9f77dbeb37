import type { Pool } from '../../prisma/db/pool.ts';
import { classify } from '../../core/errors.ts';
import type { VersionEntry } from './registry.ts';

/**
 * The registry's MySQL mirror (table model_versions): lets the API and analysts see which
 * version is champion without reading the model directory. The disk index stays the source
 * the CLI reads; every change is written to both.
 */
export interface RegistryTable {
  upsert(entries: readonly VersionEntry[], metricsJson: (version: string) => Promise<string>): Promise<void>;
  remove(versions: readonly string[]): Promise<void>;
}

const COLUMNS = [
  'version',
  'status',
  'schema_hash',
  'backend',
  'metric',
  'metric_value',
  'data_from',
  'data_to',
  'artifact_path',
  'metrics',
  'created_at',
  'promoted_at',
];

export function createRegistryTable(deps: { pool: Pool }): RegistryTable {
  return {
    async upsert(entries, metricsJson) {
      if (entries.length === 0) return;
      const rows = await Promise.all(
        entries.map(async (e) => [
          e.version,
          e.status,
          e.schemaHash,
          e.backend,
          e.metric,
          e.metricValue,
          new Date(e.dataFrom),
          new Date(e.dataTo),
          e.artifactPath,
          await metricsJson(e.version),
          new Date(e.createdAt),
          e.promotedAt ? new Date(e.promotedAt) : null,
        ]),
      );
      const updates = COLUMNS.slice(1)
        .map((c) => `\`${c}\` = VALUES(\`${c}\`)`)
        .join(', ');
      try {
        await deps.pool.query(
          `INSERT INTO model_versions (${COLUMNS.map((c) => `\`${c}\``).join(', ')}) VALUES ? ON DUPLICATE KEY UPDATE ${updates}`,
          [rows],
        );
      } catch (err) {
        throw classify(err, 'writing model_versions');
      }
    },
    async remove(versions) {
      if (versions.length === 0) return;
      try {
        await deps.pool.query('DELETE FROM model_versions WHERE version IN (?)', [versions]);
      } catch (err) {
        throw classify(err, 'deleting from model_versions');
      }
    },
  };
}
