import { describe, expect, it } from 'vitest';
import { JIT_QUIET, WARM_MAX_S, warmEnough } from './jvm-warm-up.ts';

describe('freshness warm-up', () => {
  it('runs its minimum even when the JVMs are quiet', () => {
    expect(warmEnough(5, 10, 0)).toBe(false);
    expect(warmEnough(10, 10, 0)).toBe(true);
  });

  it('goes on while the JVMs compile, and ends at its cap whatever they do', () => {
    expect(warmEnough(30, 10, JIT_QUIET * 3)).toBe(false);
    expect(warmEnough(35, 10, JIT_QUIET / 2)).toBe(true);
    expect(warmEnough(WARM_MAX_S, 10, JIT_QUIET * 3)).toBe(true);
  });

  it('ends after the minimum where the JIT time cannot be read', () => {
    expect(warmEnough(10, 10, undefined)).toBe(true);
  });
});
