import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../streams/control/job-event.ts';
import { createJobLog } from './job-log.ts';

const ev = (
  runId: string,
  status: JobEvent['status'],
  at = '2026-11-29T00:00:00.000Z',
  job: JobEvent['job'] = 'retrain',
): JobEvent => ({
  job,
  runId,
  status,
  requestedBy: 'command',
  worker: status === 'requested' ? null : 'host:1',
  partitions: null,
  counts: null,
  durationMs: null,
  reason: null,
  at,
});

describe('the retrain job log', () => {
  it('lists requested runs no worker has taken, oldest first, once each', () => {
    const log = createJobLog('retrain');
    log.apply(ev('b', 'requested', '2026-11-29T02:00:00.000Z'));
    log.apply(ev('a', 'requested', '2026-11-29T01:00:00.000Z'));
    log.apply(ev('a', 'requested', '2026-11-29T03:00:00.000Z'));
    expect(log.pending().map((e) => [e.runId, e.at])).toEqual([
      ['a', '2026-11-29T01:00:00.000Z'],
      ['b', '2026-11-29T02:00:00.000Z'],
    ]);
  });

  it('never offers a run again once it started, whatever order the statuses arrive in', () => {
    const log = createJobLog('retrain');
    log.apply(ev('a', 'done'));
    log.apply(ev('a', 'requested'));
    log.apply(ev('b', 'started'));
    log.apply(ev('b', 'requested'));
    expect(log.pending()).toEqual([]);
    expect(log.taken('a')).toBe(true);
    expect(log.interrupted().map((s) => s.runId)).toEqual(['b']);
    log.apply(ev('b', 'failed'));
    expect(log.interrupted()).toEqual([]);
  });

  it('ignores other jobs', () => {
    const log = createJobLog('retrain');
    log.apply(ev('daily-sweep:2026-11-29', 'requested', undefined, 'daily-sweep'));
    expect(log.pending()).toEqual([]);
    expect(log.taken('daily-sweep:2026-11-29')).toBe(false);
  });
});
