import { waitFor } from '../core/wait-for.ts';
import { groupLag } from '../consumers/feature-store/group-lag.ts';
import type { Admin } from 'kafkajs';
import { signalApp, waitRestarted } from './app-child.ts';
import { appProcess } from '../stack/apps.ts';
import { runningPid } from '../stack/processes.ts';
import type { Fault } from './catalog.ts';
import type { SystemUnderTest } from './system.ts';

async function featureUsers(sys: SystemUnderTest): Promise<number[]> {
  const [rows] = await sys.store.pool.query('SELECT user_id FROM user_features');
  return (rows as { user_id: number }[]).map((r) => Number(r.user_id));
}

const progressOf = (sys: SystemUnderTest, runId: string) => {
  const parts = [...(sys.serving.control.ledger.run(runId)?.partitions.values() ?? [])];
  return { scored: parts.reduce((a, p) => a + p.scored, 0), partitionsDone: parts.filter((p) => p.done).length };
};

/**
 * The scorer stopped mid-sweep: a daily sweep is requested, and the scorer gets the signal once
 * its first batch has committed. After kill -9 its supervisor restarts it; after SIGTERM it stops
 * cleanly (exit 0 ends its supervisor too) and is started again. Either way the new process
 * resumes each partition from the last committed progress, and the checker wants every shopper
 * scored exactly once by that run (faults/sweep-coverage.ts).
 */
function scorerStoppedMidSweep(signal: 'SIGKILL' | 'SIGTERM'): Fault {
  let runId = '';
  const kill = signal === 'SIGKILL';
  return {
    name: kill ? 'sigkill-scorer' : 'sigterm-scorer',
    summary: kill
      ? 'request a sweep, kill -9 the scorer once its first batch committed; the sweep must still score each shopper once'
      : 'request a sweep, SIGTERM the scorer once its first batch committed (a clean stop), start it again; each shopper scored once',
    async inject(sys, _pick, index) {
      runId = `daily-sweep:faults-${index}-${Date.now()}`;
      const request = { runId, index, users: await featureUsers(sys), requestedAt: Date.now() };
      sys.sweeps.push(request);
      await sys.serving.requestSweep(runId);
      await waitFor(async () => progressOf(sys, runId).scored > 0, {
        timeoutMs: 60_000,
        intervalMs: 5,
        what: `first progress of ${runId}`,
      });
      await signalApp(sys, 'scoring', signal);
      Object.assign(request, { atKill: progressOf(sys, runId) });
    },
    async heal(sys) {
      if (kill) return waitRestarted(sys, 'scoring');
      const proc = appProcess(sys.stack, 'scoring');
      await waitFor(async () => !runningPid(proc), { timeoutMs: 30_000, intervalMs: 50, what: 'supervisor to end' });
      await sys.serving.startScoring();
    },
    recovered: async (sys) => !!sys.serving.control.ledger.run(runId)?.done,
  };
}

/** Lag of the materializer on recommendations.v1; a sweep's commit marker can hold one offset per partition. */
export const materializerLag = async (admin: Admin, sys: SystemUnderTest) =>
  (await groupLag(admin, sys.serving.materializerGroup, [sys.serving.recommendationsTopic])).total;

/** Lag of the scorers on features.user.v1. */
export const scoringLag = async (admin: Admin, sys: SystemUnderTest) =>
  (await groupLag(admin, sys.serving.scoringGroup, [sys.serving.featuresTopic])).total;

function sigkillMaterializer(): Fault {
  return {
    name: 'sigkill-materializer',
    summary: 'kill -9 the materializer mid-chunk; its supervisor restarts it',
    inject: (sys) => signalApp(sys, 'materializer', 'SIGKILL'),
    heal: (sys) => waitRestarted(sys, 'materializer'),
    recovered: async (sys, admin, lagSlack) => (await materializerLag(admin, sys)) <= lagSlack,
  };
}

export const servingFaults = (): Fault[] => [
  scorerStoppedMidSweep('SIGKILL'),
  scorerStoppedMidSweep('SIGTERM'),
  sigkillMaterializer(),
];
