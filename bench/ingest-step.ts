import type { Admin } from 'kafkajs';
import { groupLag } from '../consumers/feature-store/group-lag.ts';
import { waitFor } from '../core/wait-for.ts';
import type { CdcTopics } from '../streams/cdc/topics.ts';
import { runSimulator, type SimulatorDeps } from '../shop/simulator/simulator.ts';
import { cpuMeter } from './cpu-share.ts';

export interface StepResult {
  offered: number;
  placedPerSec: number;
  cdcEventsPerSec: number;
  maxLag: number;
  lagAtStop: number;
  /** Seconds from the simulator's stop until the group had no lag; null if it did not drain in time. */
  drainSeconds: number | null;
  /** % of one core per process over the step and its drain. */
  cpu: Record<string, number>;
  /** CPU milliseconds per CDC event, per process: what a shared machine does not distort. */
  cpuMsPerEvent: Record<string, number>;
  /** Orders/s the measured processes could take on two otherwise idle cores, from their CPU per order. */
  projectedOrdersPerSec: number;
}

export interface StepDeps {
  admin: Admin;
  groupId: string;
  topics: CdcTopics;
  simulator: SimulatorDeps;
  pids: Record<string, number>;
  maxDrainS: number;
  log: (line: string) => void;
  /** Shoppers the consumer has applied but not yet recomputed: drained means this is 0 too. */
  queued?: () => Promise<number>;
}

export async function lagOf(admin: Admin, groupId: string, topics: CdcTopics) {
  const l = await groupLag(
    admin,
    groupId,
    Object.values(topics).map((t) => t.name),
  );
  return { lag: l.total, produced: l.produced };
}

/** Offers `rate` orders/s for `durationS`, then waits for the consumer to drain. */
export async function runStep(deps: StepDeps, rate: number, durationS: number, seed: number): Promise<StepResult> {
  const { admin, groupId, topics } = deps;
  const before = await lagOf(admin, groupId, topics);
  const meter = cpuMeter(deps.pids);
  let maxLag = 0;
  const sampler = setInterval(() => {
    lagOf(admin, groupId, topics).then(
      (l) => (maxLag = Math.max(maxLag, l.lag)),
      () => {},
    );
  }, 1000);
  const sim = await runSimulator(deps.simulator, {
    rate,
    seed,
    durationS,
    cancelRate: 0.03,
    refundRate: 0.02,
    payDelayMs: 2000,
    refundDelayMs: 10_000,
    concurrency: 4,
  });
  const stopAt = Date.now();
  const atStop = await lagOf(admin, groupId, topics);
  // null: it did not drain within maxDrainS.
  const drained = async () => (await lagOf(admin, groupId, topics)).lag === 0 && ((await deps.queued?.()) ?? 0) === 0;
  const drainSeconds = await waitFor(drained, {
    timeoutMs: deps.maxDrainS * 1000,
    intervalMs: 100,
    what: 'drain',
  }).then(
    () => Math.round((Date.now() - stopAt) / 100) / 10,
    () => null,
  );
  clearInterval(sampler);
  const wallS = (Date.now() - stopAt) / 1000 + sim.seconds;
  const cpu = meter.read();
  const after = await lagOf(admin, groupId, topics);
  const events = after.produced - before.produced;
  const cpuMsPerEvent = Object.fromEntries(
    Object.entries(cpu).map(([k, pct]) => [k, Math.round(((pct / 100) * wallS * 1e6) / Math.max(events, 1)) / 1000]),
  );
  const msPerEvent = Object.values(cpuMsPerEvent).reduce((a, b) => a + b, 0);
  const eventsPerOrder = events / Math.max(sim.placed, 1);
  const r: StepResult = {
    offered: rate,
    placedPerSec: Math.round(sim.rate),
    cdcEventsPerSec: Math.round(events / sim.seconds),
    maxLag: Math.max(maxLag, atStop.lag),
    lagAtStop: atStop.lag,
    drainSeconds,
    cpu,
    cpuMsPerEvent,
    projectedOrdersPerSec: Math.round(2000 / msPerEvent / eventsPerOrder),
  };
  deps.log(
    `  ${rate} orders/s offered: placed ${r.placedPerSec}/s, ${r.cdcEventsPerSec} CDC events/s, max lag ${r.maxLag}, ` +
      `lag at stop ${r.lagAtStop}, drain ${drainSeconds === null ? `> ${deps.maxDrainS}` : drainSeconds} s; CPU % of a core: ` +
      Object.entries(cpu)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') +
      `; CPU ms per event: ${Object.entries(cpuMsPerEvent)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} -> ${r.projectedOrdersPerSec} orders/s on 2 idle cores`,
  );
  return r;
}
