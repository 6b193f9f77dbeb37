import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../core/wait-for.ts';
import { readRestarts } from './restart-counter.ts';
import { supervise } from './supervisor.ts';

/** A child process that exits when the test says so, or when it is killed. */
class FakeChild extends EventEmitter {
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  kills: string[] = [];
  exit(code: number | null, signal: NodeJS.Signals | null = null) {
    this.exitCode = code;
    this.signalCode = signal;
    this.emit('exit', code, signal);
  }
  kill(signal: NodeJS.Signals) {
    this.kills.push(signal);
    setImmediate(() => this.exit(null, signal));
    return true;
  }
}

const setup = () => {
  const children: FakeChild[] = [];
  const counterFile = join(mkdtempSync(join(tmpdir(), 'sup-')), 'features.restarts.json');
  const sup = supervise({
    counterFile,
    log: () => {},
    minBackoffMs: 1,
    spawnChild: () => {
      const c = new FakeChild();
      children.push(c);
      return c as unknown as ChildProcess;
    },
  });
  return { sup, children, counterFile };
};

describe('the app supervisor', () => {
  it('restarts an app that dies, counting restarts in the run dir', async () => {
    const { sup, children, counterFile } = setup();
    expect(readRestarts(counterFile)).toEqual({ restarts: 0 });
    children[0]!.exit(1);
    await waitFor(async () => children.length === 2, { timeoutMs: 2_000, what: 'a second child' });
    children[1]!.exit(null, 'SIGKILL');
    await waitFor(async () => children.length === 3, { timeoutMs: 2_000, what: 'a third child' });
    expect(sup.restarts()).toBe(2);
    expect(readRestarts(counterFile)).toMatchObject({ restarts: 2, lastExit: { code: null, signal: 'SIGKILL' } });
    await sup.stop('SIGTERM');
    expect(children[2]!.kills).toEqual(['SIGTERM']);
    expect(children).toHaveLength(3);
  });
  it('does not restart an app that exits 0: it was stopped on purpose', async () => {
    const { sup, children } = setup();
    children[0]!.exit(0);
    await sup.done;
    expect(children).toHaveLength(1);
    expect(sup.restarts()).toBe(0);
  });
});
