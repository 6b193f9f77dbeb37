import type { Benchmark } from './benchmark.ts';

/** `npm run bench -- <name>`; each benchmark lives in bench/<name>.ts. */
export const benchmarks: Benchmark[] = [];
