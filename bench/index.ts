import type { Benchmark } from './benchmark.ts';
import { cdcLatency } from './cdc-latency.ts';
import { generateBench } from './generate.ts';
import { replayBench } from './replay.ts';
import { ingestBench } from './ingest.ts';
import { modelBench } from './model.ts';
import { freshnessBench } from './freshness.ts';
import { apiBench } from './api.ts';
import { sweepBench } from './sweep.ts';

/** `npm run bench -- <name>`; each benchmark lives in bench/<name>.ts. */
export const benchmarks: Benchmark[] = [
  cdcLatency,
  generateBench,
  replayBench,
  ingestBench,
  modelBench,
  freshnessBench,
  apiBench,
  sweepBench,
];
