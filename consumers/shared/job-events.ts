import { hostname } from 'node:os';
import type { Message } from 'kafkajs';
import { jobEventSchema, jobsTopic, type JobEvent } from '../../streams/control/job-event.ts';

/** This process as a worker name on the control topic. */
export const workerName = () => `${hostname()}:${process.pid}`;

/** A job event with the fields a caller does not set filled in as "none". */
export function jobEvent(e: Pick<JobEvent, 'job' | 'runId' | 'status'> & Partial<JobEvent>): JobEvent {
  return {
    requestedBy: e.requestedBy ?? '',
    worker: null,
    partitions: null,
    counts: null,
    durationMs: null,
    reason: null,
    at: new Date().toISOString(),
    ...e,
  };
}

export const jobMessage = (e: JobEvent): Message => ({ key: jobsTopic.key(e), value: JSON.stringify(e) });

/** Null for a tombstone or anything that is not a job event: the control topic is read, never dead-lettered. */
export function decodeJobEvent(value: Buffer | null): JobEvent | null {
  if (!value) return null;
  try {
    const parsed = jobEventSchema.safeParse(JSON.parse(value.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
