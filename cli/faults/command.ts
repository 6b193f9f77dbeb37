import { booleanFlag, intFlag, stringFlag, type ArgsSpec, type ParsedArgs } from '../../core/args.ts';
import type { Area, CommandContext } from '../../core/command.ts';
import { ValidationError } from '../../core/errors.ts';
import { faultCatalog } from '../../faults/catalog.ts';
import { formatTable } from '../../faults/report.ts';
import { faultStackSettings, suitePorts } from '../../faults/settings.ts';
import { runSuite } from '../../faults/suite.ts';
import { stackDown } from '../../stack/stack.ts';

const RUN: ArgsSpec = {
  options: {
    seed: { type: 'string', value: 'N', default: '1', note: 'the same seed replays the same schedule' },
    duration: { type: 'string', value: 'S', default: '300', note: 'seconds of faults and quiet time to schedule' },
    short: { type: 'boolean', note: 'every fault once with short holds (CI)' },
    only: { type: 'string', value: 'A,B', note: 'only these faults' },
    rate: { type: 'string', value: 'N', default: '20', note: 'orders per second from the shop simulator' },
    keep: { type: 'boolean', note: 'leave the 3-broker stack running afterwards' },
  },
  note: 'Stack: FAULTS_PORT_BASE (16000) and FAULTS_STACK_DIR (.stack-faults).',
};

async function run(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const names = faultCatalog({ logger: ctx.logger }).map((f) => f.name);
  const only = stringFlag(args, 'only')?.split(',').filter(Boolean);
  const unknown = only?.filter((n) => !names.includes(n)) ?? [];
  if (unknown.length) throw new ValidationError(`unknown fault ${unknown.join(', ')}: one of ${names.join(', ')}`);
  const stack = faultStackSettings(ctx.env);
  const seed = intFlag(args, 'seed');
  const started = Date.now();
  ctx.out(`# faults run: seed ${seed}, stack ${stack.dir} (3 brokers)`);
  try {
    const r = await runSuite(
      stack,
      {
        seed,
        durationS: intFlag(args, 'duration', { min: 1 }),
        short: booleanFlag(args, 'short'),
        only,
        rate: intFlag(args, 'rate', { min: 1 }),
        shoppers: 150,
        recoveryTargetMs: 30_000,
        ports: {
          features: suitePorts(ctx.env).featuresMetrics,
          scoring: suitePorts(ctx.env).scoringMetrics,
          materializer: suitePorts(ctx.env).materializerMetrics,
        },
      },
      ctx.logger,
      ctx.out,
    );
    for (const line of formatTable(r.rows)) ctx.out(line);
    const c = r.check;
    ctx.out(
      `checker: ${c.orders.shopOrders} committed orders; lost ${c.orders.lost.length}, phantom ${c.orders.phantom.length}, ` +
        `shoppers short ${c.orders.usersShort.length}, over ${c.orders.usersOver.length}; replay differs in ${JSON.stringify(c.replayDiff)}; ` +
        `topic ${c.topic.keysOnTopic} keys vs ${c.topic.rowsInStore} rows, ${c.topic.differing.length} differ; DLQ ${JSON.stringify(c.dlq)}; quiesced ${r.quiesced}`,
    );
    ctx.out(
      `recommendations: ${c.recs.keysOnTopic} keys on the topic vs ${c.recs.rowsInTable} materialized rows, ${c.recs.differing.length} differ`,
    );
    for (const e of c.recs.examples) ctx.out(`  differs: ${e}`);
    for (const sw of c.recs.sweeps) {
      const at = r.sweeps.find((x) => x.runId === sw.runId)?.atKill;
      ctx.out(
        `sweep ${sw.runId}: killed at ${at ? `${at.scored} scored, ${at.partitionsDone}/3 partitions done` : '?'}; ` +
          `covered ${sw.covered}, skipped for a newer live recommendation ${sw.skippedForLive}, missing ${sw.missing.length}, scored twice ${sw.duplicated.length}`,
      );
    }
    if (c.orders.lost.length) ctx.out(`lost order ids (first 20): ${c.orders.lost.slice(0, 20).join(', ')}`);
    const recoveries = r.outcomes.map((o) => o.recoveryMs).filter((x): x is number => x !== null);
    ctx.out(
      JSON.stringify({
        faults: 'run',
        seed,
        short: booleanFlag(args, 'short'),
        seconds: Math.round((Date.now() - started) / 1000),
        injected: r.outcomes.length,
        survived: r.rows.reduce((n, x) => n + x.survived, 0),
        ordersCommitted: c.orders.shopOrders,
        lost: r.rows.reduce((n, x) => n + x.lost, 0),
        duplicated: r.rows.reduce((n, x) => n + x.duplicated, 0),
        dlq: Object.values(c.dlq).reduce((a, b) => a + b, 0),
        replayEqual: Object.keys(c.replayDiff).length === 0,
        topicEqual: c.topic.differing.length === 0,
        recommendationsEqual: c.recs.differing.length === 0,
        sweepsExactlyOnce: c.recs.sweeps.every((x) => x.missing.length + x.duplicated.length === 0),
        recoveryMaxS: recoveries.length === r.outcomes.length ? Math.max(0, ...recoveries) / 1000 : null,
        ok: r.ok,
      }),
    );
    return r.ok ? 0 : 1;
  } finally {
    if (!booleanFlag(args, 'keep')) await stackDown(stack, ctx.logger);
  }
}

export const faultsArea: Area = {
  name: 'faults',
  summary: 'The fault suite: a 3-broker stack under simulated load, a seeded schedule of faults, then a checker.',
  verbs: {
    run: { summary: 'run a seeded fault schedule and check nothing was lost or counted twice', args: RUN, run },
    list: {
      summary: 'the faults the schedule draws from',
      run: async (_a, ctx) => {
        for (const f of faultCatalog({ logger: ctx.logger })) ctx.out(`${f.name.padEnd(18)} ${f.summary}`);
      },
    },
  },
};
