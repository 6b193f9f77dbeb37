import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null if it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: the fields start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Each named process's CPU use between two moments, in % of one core (200 % = both of our cores). */
export function cpuMeter(pids: Record<string, number>) {
  const start = Date.now();
  const at = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
  return {
    read(): Record<string, number> {
      const seconds = (Date.now() - start) / 1000;
      return Object.fromEntries(
        Object.entries(pids).map(([name, pid]) => {
          const [a, b] = [at[name], cpuSeconds(pid)];
          return [name, a === null || a === undefined || b === null ? NaN : Math.round(((b - a) / seconds) * 100)];
        }),
      );
    },
  };
}
