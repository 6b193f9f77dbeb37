import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DbConfig } from '../core/config/db-config.ts';
import { AppError } from '../core/errors.ts';
import { createKafka } from '../core/kafka.ts';
import { silentLogger } from '../core/logger.ts';
import { peakRssMiB } from '../core/process-memory.ts';
import { waitFor } from '../core/wait-for.ts';
import { createControlFollower } from '../consumers/shared/control-follower.ts';
import { jobEvent, jobMessage } from '../consumers/shared/job-events.ts';
import type { JobEvent } from '../streams/control/job-event.ts';
import { dlqTopicName } from '../streams/topic.ts';
import { stopChild } from './spawn-consumer.ts';

export interface SweepRunOptions {
  root: string;
  brokers: string[];
  shop: DbConfig;
  store: DbConfig;
  modelsDir: string;
  shoppers: number;
  /** SCORING_SWEEP_BATCH for the scorer; undefined keeps its default. */
  batch?: number;
  /** Where `node --cpu-prof` writes the scorer's profile, or undefined for none. */
  cpuProfDir?: string;
  out: (line: string) => void;
}

export interface SweepRunResult {
  done: JobEvent;
  /** Request published -> done seen, by this process's clock. */
  wallSeconds: number;
  peakRssMiB: number | null;
  /** Where the scorer's sweep time went, ms summed over partitions (its own log). */
  phasesMs: Record<string, number>;
  recommendationsTopic: string;
  /** Every topic of the run, to delete once measured. */
  topics: string[];
}

const url = (db: DbConfig) => `mysql://${db.user}:${db.password}@${db.host}:${db.port}/${db.database}`;

interface Scorer {
  child: ChildProcess;
  log: () => string;
  /** Sum over partitions of the phase times the scorer logs when it finishes one. */
  phasesMs: Record<string, number>;
}

function startScorer(o: SweepRunOptions, prefix: string): Scorer {
  const nodeArgs = o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(o.root, 'consumers/scoring/main.ts')], {
    cwd: o.root,
    env: {
      ...process.env,
      KAFKA_BROKERS: o.brokers.join(','),
      DATABASE_URL: url(o.shop),
      FEATURES_DATABASE_URL: url(o.store),
      FEATURES_TOPIC: `${prefix}.features.user.v1`,
      RECOMMENDATIONS_TOPIC: `${prefix}.recommendations.v1`,
      SHADOW_RECOMMENDATIONS_TOPIC: `${prefix}.recommendations.shadow.v1`,
      MODELS_TOPIC: `${prefix}.models.v1`,
      CONTROL_TOPIC: `${prefix}.control.jobs.v1`,
      SCORING_GROUP_ID: `scoring-${prefix}`,
      MODELS_DIR: o.modelsDir,
      SCORING_METRICS_PORT: '0',
      ...(o.batch ? { SCORING_SWEEP_BATCH: String(o.batch) } : {}),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  let partial = '';
  const phasesMs: Record<string, number> = {};
  child.stderr!.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-20_000);
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines.filter((l) => l.includes('"sweep partition done"'))) {
      const phases = (JSON.parse(line) as { phasesMs?: Record<string, number> }).phasesMs ?? {};
      for (const [k, v] of Object.entries(phases)) phasesMs[k] = (phasesMs[k] ?? 0) + v;
    }
  });
  return { child, log: () => log, phasesMs };
}

async function rssMiB(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Math.round(Number(m[1]) / 1024) : null;
}

/**
 * One sweep by a scorer in its own process (its CPU, memory and profile are its own): start it on
 * topics of this run, request a daily sweep on its control topic, follow progress until done.
 */
export async function runSweep(o: SweepRunOptions): Promise<SweepRunResult> {
  const prefix = `bsw${randomBytes(4).toString('hex')}`;
  const controlTopic = `${prefix}.control.jobs.v1`;
  const kafka = createKafka({ clientId: 'bench-sweep', brokers: o.brokers });
  const control = createControlFollower({
    kafka,
    topic: controlTopic,
    groupPrefix: 'bench-sweep',
    logger: silentLogger,
  });
  await control.start();
  const scorer = startScorer(o, prefix);
  const topics = ['features.user.v1', 'recommendations.v1', 'recommendations.shadow.v1', 'models.v1'].map(
    (t) => `${prefix}.${t}`,
  );
  topics.push(controlTopic, dlqTopicName(`${prefix}.features.user.v1`));
  try {
    await waitFor(async () => /"msg":"started"/.test(scorer.log()), {
      timeoutMs: 120_000,
      what: () => `the scorer to start: ${scorer.log().slice(-2_000)}`,
    });
    const runId = `daily-sweep:bench-${prefix}`;
    const producer = kafka.producer();
    await producer.connect();
    const t0 = performance.now();
    await producer.send({
      topic: controlTopic,
      messages: [jobMessage(jobEvent({ job: 'daily-sweep', runId, status: 'requested', requestedBy: 'bench' }))],
    });
    await producer.disconnect();
    let lastShown = t0;
    const done = await waitFor(
      async () => {
        const run = control.ledger.run(runId);
        if (run?.failed) throw new AppError(`sweep failed: ${run.failed.reason ?? 'no reason given'}`);
        if (run?.done) return run.done;
        if (performance.now() - lastShown > 10_000) {
          lastShown = performance.now();
          const scored = [...(run?.partitions.values() ?? [])].reduce((a, p) => a + p.scored, 0);
          const s = (lastShown - t0) / 1000;
          o.out(
            `  ... ${scored} of ${o.shoppers} scored after ${s.toFixed(0)} s (${Math.round(scored / s)}/s), scorer ${await rssMiB(scorer.child.pid!)} MiB`,
          );
        }
        return false;
      },
      { timeoutMs: Math.max(300_000, o.shoppers * 20), intervalMs: 200, what: `sweep ${runId} done` },
    );
    const wallSeconds = (performance.now() - t0) / 1000;
    const peak = await peakRssMiB(scorer.child.pid!);
    // The last partition's log line may still be in the pipe when done is seen.
    await waitFor(async () => Object.keys(scorer.phasesMs).length > 0, { timeoutMs: 5_000, what: 'phase log' }).catch(
      () => {},
    );
    return { done, wallSeconds, peakRssMiB: peak, phasesMs: scorer.phasesMs, recommendationsTopic: topics[1]!, topics };
  } finally {
    await stopChild(scorer.child);
    await control.stop();
  }
}

/** The run's topics hold up to a gigabyte of recommendations: delete them once measured. */
export async function deleteTopics(brokers: string[], topics: string[]): Promise<void> {
  const admin = createKafka({ clientId: 'bench-sweep', brokers }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    await admin.deleteTopics({ topics: topics.filter((t) => existing.has(t)) }).catch(() => {});
  } finally {
    await admin.disconnect();
  }
}
