import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../streams/control/job-event.ts';
import { runsAtWork } from './jobs-quiet.ts';

const at = (s: number) => new Date(Date.UTC(2026, 10, 30, 0, 0, s)).toISOString();
const ev = (runId: string, status: JobEvent['status'], s: number, worker: string | null = 'h:1'): JobEvent => ({
  job: runId.startsWith('retrain') ? 'retrain' : 'daily-sweep',
  runId,
  status,
  requestedBy: 'catch-up',
  worker: status === 'requested' ? null : worker,
  partitions: null,
  counts: null,
  durationMs: null,
  reason: null,
  at: at(s),
});
const now = Date.parse(at(30));

describe('runsAtWork', () => {
  it('counts a run started or in progress and not yet done', () => {
    expect(runsAtWork([ev('retrain:a', 'requested', 1), ev('retrain:a', 'started', 2)], now)).toEqual(['retrain:a']);
    expect(runsAtWork([ev('retrain:a', 'started', 2), ev('retrain:a', 'done', 9)], now)).toEqual([]);
    expect(runsAtWork([ev('retrain:a', 'started', 2), ev('retrain:a', 'failed', 9)], now)).toEqual([]);
  });
  it("waits for every partition of a split run, until the run's own done", () => {
    const part = (p: number, worker: string, done: number) => ({
      ...ev('daily-sweep:x', 'started', 2, worker),
      counts: { partition: p, lastUserId: 10, scored: 5, done },
    });
    const events = [ev('daily-sweep:x', 'requested', 1), part(0, 'a:1#p0', 1), part(1, 'b:2#p1', 0)];
    expect(runsAtWork(events, now)).toEqual(['daily-sweep:x']);
    expect(runsAtWork([...events, part(1, 'b:2#p1', 1), ev('daily-sweep:x', 'done', 6, 'b:2')], now)).toEqual([]);
  });
  it('counts a fresh request nobody picked up yet, not an old one', () => {
    expect(runsAtWork([ev('retrain:b', 'requested', 25)], now)).toEqual(['retrain:b']);
    expect(runsAtWork([ev('retrain:b', 'requested', 25)], now + 600_000)).toEqual([]);
  });
});
