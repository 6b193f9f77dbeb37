import type { PrismaClient } from '../../prisma/db/prisma-client.ts';
import type { ModelRow } from '../schemas/ops.ts';

/** The part of an evaluation table (model_versions.metrics) the ops page shows. */
interface StoredTable {
  rows?: { name?: string; kind?: string; metrics?: { ranking?: Record<string, number> } }[];
}

const at3 = (ranking: Record<string, number> | undefined) => ({
  ndcg3: ranking?.['ndcg@3'] ?? 0,
  recall3: ranking?.['recall@3'] ?? 0,
});

export function modelRowFrom(v: {
  version: string;
  status: string;
  createdAt: Date;
  backend: string;
  metrics: string;
}): ModelRow {
  let table: StoredTable = {};
  try {
    table = JSON.parse(v.metrics) as StoredTable;
  } catch {
    // An unreadable table still lists the version; its metrics show as 0.
  }
  const rows = table.rows ?? [];
  const own = rows.find((r) => r.kind === 'model') ?? rows[0];
  return {
    version: v.version,
    status: v.status,
    created_at: v.createdAt.toISOString(),
    backend: v.backend,
    metrics: at3(own?.metrics?.ranking),
    table: rows.map((r) => ({ model: r.name ?? '?', ...at3(r.metrics?.ranking) })),
  };
}

/** Model versions from the registry's MySQL mirror (model_versions), newest first. */
export async function readModels(prisma: PrismaClient, limit = 20): Promise<ModelRow[]> {
  const rows = await prisma.modelVersion.findMany({
    orderBy: { createdAt: 'desc' },
    take: limit,
    select: { version: true, status: true, createdAt: true, backend: true, metrics: true },
  });
  return rows.map(modelRowFrom);
}
