import { describe, expect, it } from 'vitest';
import { sampleMemoryPeak } from './process-memory.ts';

describe('sampleMemoryPeak', () => {
  it('keeps the sample with the highest RSS, split into heap and array buffers', () => {
    const sampler = sampleMemoryPeak(60_000);
    const big = new Float64Array(32 << 20); // 256 MiB outside the JS heap, touched so it is resident
    big.fill(1);
    const peak = sampler.stop();
    expect(big[big.length - 1]).toBe(1);
    expect(peak.arrayBuffersMiB).toBeGreaterThanOrEqual(256);
    expect(peak.rssMiB).toBeGreaterThanOrEqual(peak.arrayBuffersMiB);
    expect(peak.heapTotalMiB).toBeGreaterThanOrEqual(peak.heapUsedMiB);
  });
});
