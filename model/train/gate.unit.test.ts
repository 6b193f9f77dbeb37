import { describe, expect, it } from 'vitest';
import { decideGate } from './gate.ts';

const head = (diff: number, lo: number, hi: number) => ({ metric: 'ndcg@3', diff, lo, hi });

describe('the promotion gate', () => {
  it('promotes the first model when there is no champion', () => {
    expect(decideGate({ minGain: 0.5 }, { championVersion: null, head: null }).promote).toBe(true);
  });

  it('keeps a challenger that the champion could not be compared with', () => {
    const d = decideGate({ minGain: 0 }, { championVersion: 'wd-1', head: null });
    expect(d.promote).toBe(false);
    expect(d.reason).toMatch(/could not score the same held-out rows/);
  });

  it('needs the lead to exceed the margin', () => {
    expect(decideGate({ minGain: 0.01 }, { championVersion: 'wd-1', head: head(0.02, 0.005, 0.03) }).promote).toBe(
      true,
    );
    const d = decideGate({ minGain: 0.01 }, { championVersion: 'wd-1', head: head(0.008, 0.002, 0.014) });
    expect(d.promote).toBe(false);
    expect(d.reason).toMatch(/not above the margin 0\.01: ndcg@3 \+0\.0080 \[\+0\.0020, \+0\.0140\]/);
    // Equal to the margin is not "by a margin".
    expect(decideGate({ minGain: 0 }, { championVersion: 'wd-1', head: head(0, 0, 0) }).promote).toBe(false);
  });

  it('needs the interval above zero even when the point lead clears the margin', () => {
    const d = decideGate({ minGain: 0 }, { championVersion: 'wd-1', head: head(0.01, -0.001, 0.02) });
    expect(d.promote).toBe(false);
    expect(d.reason).toMatch(/within noise/);
    expect(decideGate({ minGain: 0 }, { championVersion: 'wd-1', head: head(0.01, 0.0001, 0.02) }).promote).toBe(true);
  });

  it('rejects a challenger that is worse', () => {
    expect(decideGate({ minGain: -1 }, { championVersion: 'wd-1', head: head(-0.05, -0.07, -0.03) }).promote).toBe(
      false,
    );
  });
});
