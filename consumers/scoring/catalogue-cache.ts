import type { CategoryMap } from '../../features/category-map.ts';
import type { Logger } from '../../core/logger.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import { loadCatalogue, type Catalogue } from './catalogue.ts';

export interface CatalogueCache {
  current(): Catalogue;
  refresh(): Promise<Catalogue>;
  stop(): void;
}

/**
 * The catalogue changes slowly and best-seller order need not be exact to the second: one load at
 * start, then a refresh every `refreshMs`; a failed refresh keeps the last good one.
 */
export async function createCatalogueCache(deps: {
  pool: Pool;
  categoryMap: CategoryMap;
  refreshMs: number;
  logger: Logger;
}): Promise<CatalogueCache> {
  let catalogue = await loadCatalogue(deps.pool, deps.categoryMap);
  const refresh = async () => {
    catalogue = await loadCatalogue(deps.pool, deps.categoryMap);
    return catalogue;
  };
  const timer = setInterval(() => {
    refresh().catch((err: Error) => deps.logger.warn('catalogue refresh failed; keeping the last one', { error: err }));
  }, deps.refreshMs);
  timer.unref();
  return { current: () => catalogue, refresh, stop: () => clearInterval(timer) };
}
