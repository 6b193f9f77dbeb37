import type { Kafka } from 'kafkajs';
import { createJobLedger } from '../consumers/shared/job-ledger.ts';
import { decodeJobEvent } from '../consumers/shared/job-events.ts';
import { tailTopic } from '../core/topic-tail.ts';
import { JOBS, jobsTopic, type JobEvent } from '../streams/control/job-event.ts';

/**
 * Runs still at work, folded as the workers fold them (job-ledger.ts): started and neither done nor
 * failed, or requested less than `freshRequestMs` ago and not picked up yet (the catch-up retrain
 * that `npm start` asks for). Pure, so it is tested without a broker.
 */
export function runsAtWork(events: JobEvent[], now: number, freshRequestMs = 120_000): string[] {
  const ledger = createJobLedger();
  for (const e of events) ledger.apply(e);
  return ledger
    .unfinished(JOBS)
    .filter((r) => r.startedAt !== null || now - Date.parse(r.requestedAt!) < freshRequestMs)
    .map((r) => r.runId);
}

/** Every event on control.jobs.v1 now (a compacted topic: the latest per run, status and worker). */
async function readJobEvents(kafka: Kafka): Promise<JobEvent[]> {
  const events: JobEvent[] = [];
  const tail = await tailTopic({
    kafka,
    topic: jobsTopic.name,
    groupPrefix: 'bench-jobs',
    fromBeginning: true,
    onMessage: (message) => {
      const e = decodeJobEvent(message.value);
      if (e) events.push(e);
    },
  });
  try {
    await tail.caughtUp;
  } finally {
    await tail.stop();
  }
  return events;
}

/**
 * Waits while a retrain or a sweep is at work: freshness measured beside one is that job's cost,
 * not the steady state. Returns the runs it waited for, and whether it gave up at `timeoutMs`.
 */
export async function waitForQuietJobs(
  kafka: Kafka,
  opts: { timeoutMs: number; onWait: (runs: string[]) => void },
): Promise<{ waitedFor: string[]; gaveUp: boolean }> {
  const deadline = Date.now() + opts.timeoutMs;
  const waitedFor = new Set<string>();
  for (;;) {
    const busy = runsAtWork(await readJobEvents(kafka), Date.now());
    if (!busy.length) return { waitedFor: [...waitedFor], gaveUp: false };
    if (busy.some((r) => !waitedFor.has(r))) opts.onWait(busy);
    busy.forEach((r) => waitedFor.add(r));
    if (Date.now() > deadline) return { waitedFor: [...waitedFor], gaveUp: true };
    await new Promise((r) => setTimeout(r, 2_000));
  }
}
