import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { decodeJobEvent } from '../consumers/shared/job-events.ts';
import type { JobEvent } from '../streams/control/job-event.ts';
import { jobsTopic } from '../streams/control/job-event.ts';

const RANK: Record<JobEvent['status'], number> = { requested: 0, started: 1, progress: 2, done: 3, failed: 3 };

/**
 * Runs still at work: a worker that reported started or progress on a run and not yet done or
 * failed, or a request younger than `freshRequestMs` that no worker has picked up yet (the
 * catch-up retrain that `npm start` asks for). Pure, so it is tested without a broker.
 */
export function runsAtWork(events: JobEvent[], now: number, freshRequestMs = 120_000): string[] {
  const byWorker = new Map<string, JobEvent>();
  const picked = new Set<string>();
  for (const e of events) {
    if (e.status !== 'requested') picked.add(e.runId);
    // A sweep's partition workers report as `<instance>#p<N>`, and the instance reports done.
    const key = `${e.runId}|${(e.worker ?? '').replace(/#.*$/, '')}`;
    const seen = byWorker.get(key);
    if (!seen || RANK[e.status] >= RANK[seen.status]) byWorker.set(key, e);
  }
  const busy = new Set<string>();
  for (const e of byWorker.values()) {
    if (e.status === 'started' || e.status === 'progress') busy.add(e.runId);
    if (e.status === 'requested' && !picked.has(e.runId) && now - Date.parse(e.at) < freshRequestMs) busy.add(e.runId);
  }
  return [...busy];
}

/** Every event on control.jobs.v1 now (a compacted topic: the latest per run, status and worker). */
async function readJobEvents(kafka: Kafka): Promise<JobEvent[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(jobsTopic.name).finally(() => admin.disconnect());
  const left = new Map(ends.filter((p) => p.high !== p.low).map((p) => [p.partition, BigInt(p.high)]));
  if (!left.size) return [];
  const events: JobEvent[] = [];
  const consumer = kafka.consumer({ groupId: `bench-jobs-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: jobsTopic.name, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            const e = decodeJobEvent(message.value);
            if (e) events.push(e);
            if (BigInt(message.offset) + 1n >= (left.get(partition) ?? 0n)) left.delete(partition);
            if (!left.size) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
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
