import { silentLogger } from '../../core/logger.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import { generateToDb } from '../../shop/db-generate.ts';
import { createShopDbWriter } from '../../shop/db-writer.ts';
import { createShopGenerator } from '../../shop/generator/shop-generator.ts';

/** Fills a scratch shop database with a small generated shop (seeded, so every run trains on the same orders). */
export async function seedGeneratedShop(pool: Pool, opts: { seed: number; shoppers: number }): Promise<void> {
  await generateToDb({
    generator: createShopGenerator(opts),
    writer: createShopDbWriter({ pool, logger: silentLogger }),
    logger: silentLogger,
  });
}
