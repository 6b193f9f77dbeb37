import type { CommandContext, Verb } from '../../core/command.ts';
import { booleanFlag, intFlag, stringFlag, type ParsedArgs } from '../../core/args.ts';
import { createKafka } from '../../core/kafka.ts';
import { loadCategoryMap } from '../../features/category-map.ts';
import { createPool } from '../../prisma/db/pool.ts';
import { onlineComparison } from '../../streams/online/read-online.ts';
import type { VersionOnline } from '../../streams/online/online-comparison.ts';

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

function row(v: VersionOnline): string {
  const interval = v.hitRateLow === null ? '' : ` [${pct(v.hitRateLow)}, ${pct(v.hitRateHigh)}]`;
  return [
    v.topic.padEnd(9),
    v.version.padEnd(26),
    String(v.recommendations).padStart(8),
    `${v.hits}/${v.followed}`.padStart(11),
    `${pct(v.hitRate)}${interval}`.padEnd(26),
    `${v.clicks}/${v.impressions}`.padStart(11),
    pct(v.ctr).padStart(7),
  ].join(' ');
}

async function online(args: ParsedArgs, ctx: CommandContext) {
  const days = intFlag(args, 'days', { min: 1 });
  const categories = await loadCategoryMap(stringFlag(args, 'category-map'));
  const pool = createPool(ctx.config.db, { connectionLimit: 2 });
  try {
    const report = await onlineComparison(
      {
        kafka: createKafka({ clientId: 'model-cli', brokers: ctx.config.kafka.brokers, retries: 3 }),
        shop: pool,
        modelCategoryOf: (raw) => categories.model[categories.modelIndexOfRaw(raw)] ?? raw,
      },
      { days },
    );
    if (booleanFlag(args, 'json')) return ctx.out(JSON.stringify(report));
    ctx.out(
      `recommendations produced ${report.since.slice(0, 16)} .. ${report.until.slice(0, 16)} (last ${days} days)`,
    );
    ctx.out('topic     version                    recs  next-order hits  hit rate [95% Wilson]    clicks/impr     CTR');
    for (const v of report.versions) ctx.out(row(v));
    if (!report.versions.length) ctx.out('no recommendations in this window');
    ctx.out('hit: the next order after a recommendation (while it was current) holds one of its top-3 categories');
  } finally {
    await pool.end();
  }
}

export const onlineVerb: Verb = {
  summary:
    "champion vs shadow on real behaviour: next-order hit rate of each version's top 3, and storefront click-through",
  args: {
    options: {
      days: { type: 'string', value: 'N', default: '7' },
      json: { type: 'boolean' },
      'category-map': { type: 'string', value: 'FILE' },
    },
  },
  run: online,
};
