/** Peak resident memory of this process so far, in MiB (Linux: VmHWM). */
export async function peakRssMiB(pid: number | 'self' = 'self'): Promise<number | null> {
  const { readFile } = await import('node:fs/promises');
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export interface MemorySample {
  rssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  /** Typed arrays and Buffers (outside the JS heap). */
  arrayBuffersMiB: number;
}

/**
 * Samples this process's memory every `intervalMs` and keeps the sample with the highest RSS, so a
 * peak can be split into the JS heap and the array buffers outside it.
 */
export function sampleMemoryPeak(intervalMs = 500): { stop(): MemorySample } {
  const mib = (b: number) => Math.round(b / 1048576);
  const take = (): MemorySample => {
    const m = process.memoryUsage();
    return {
      rssMiB: mib(m.rss),
      heapUsedMiB: mib(m.heapUsed),
      heapTotalMiB: mib(m.heapTotal),
      arrayBuffersMiB: mib(m.arrayBuffers),
    };
  };
  let peak = take();
  const sample = () => {
    const s = take();
    if (s.rssMiB > peak.rssMiB) peak = s;
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    /** The peak, the moment of stopping included. */
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
