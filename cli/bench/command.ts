import type { Area, Verb } from '../../core/command.ts';
import { benchmarks } from '../../bench/index.ts';

function verbFor(b: (typeof benchmarks)[number]): Verb {
  return {
    summary: b.summary,
    args: b.args,
    async run(args, ctx) {
      const started = Date.now();
      ctx.out(`# bench ${b.name}`);
      const figures = await b.run(args, ctx);
      ctx.out(`# done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      ctx.out(JSON.stringify({ bench: b.name, ...figures }));
    },
  };
}

export const benchArea: Area = {
  name: 'bench',
  summary: 'Speed and memory benchmarks. Each prints readable figures, then one line of JSON.',
  get verbs() {
    return Object.fromEntries(benchmarks.map((b) => [b.name, verbFor(b)]));
  },
};
