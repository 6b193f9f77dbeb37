import type { Logger } from '../../core/logger.ts';
import type { JobEvent } from '../../streams/control/job-event.ts';
import type { ModelEvent } from '../../streams/models/model-event.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import { readMeta, type ArtifactMeta } from '../../model/registry/artifact.ts';
import type { ModelEventPublisher } from '../../model/registry/model-event-publisher.ts';
import { championChangeEvents } from '../../model/registry/announce.ts';
import { decisionEvent } from '../../model/registry/model-events.ts';
import type { Registry } from '../../model/registry/registry.ts';
import { newestOrderRange } from '../../model/data/data-range.ts';
import { decideGate, type GateDecision } from '../../model/train/gate.ts';
import { PROMOTION_METRIC } from '../../model/train/train-run.ts';
import type { TrainerConfig } from './config.ts';
import { jobEvent, workerName, type JobPublisher } from './job-publisher.ts';
import type { TrainJob, TrainOutcome } from './train-protocol.ts';

export interface RetrainDeps {
  config: TrainerConfig;
  pool: Pool;
  registry: Registry;
  jobs: JobPublisher;
  models: ModelEventPublisher;
  logger: Logger;
  train(job: TrainJob, onEpoch: (label: string, epoch: number, line: string) => void): Promise<TrainOutcome>;
  /** A decision that keeps the challenger a candidate may put it into shadow mode. */
  shadowEvent?(meta: ArtifactMeta, decision: GateDecision): ModelEvent;
  now?: () => Date;
}

/** The champion minus challenger row on NDCG@3 the gate decides on, from the challenger's artifact. */
function headOf(meta: ArtifactMeta, champion: string | null) {
  if (!champion) return null;
  return (
    meta.evaluation.comparisons?.find((c) => c.baseline === `champion ${champion}` && c.metric === PROMOTION_METRIC) ??
    null
  );
}

/** The replaced champion's event: retired, pointing at the version that took its place. */
async function retiredBy(deps: RetrainDeps, previous: string, champion: string): Promise<ModelEvent> {
  const [retired] = await championChangeEvents(deps.registry, {
    champion,
    previous,
    event: 'promoted',
    reason: '',
    decidedBy: 'trainer',
    at: (deps.now ?? (() => new Date()))(),
  });
  return retired!;
}

/** Gate, then promotion on the registry; a champion that changed meanwhile is never replaced blindly. */
async function decide(deps: RetrainDeps, meta: ArtifactMeta, outcome: TrainOutcome) {
  const decision = decideGate(
    { minGain: deps.config.minNdcgGain },
    { championVersion: outcome.champion, head: headOf(meta, outcome.champion) },
  );
  if (!decision.promote) return { decision, promoted: false, reason: decision.reason };
  const now = (await deps.registry.champion())?.version ?? null;
  if (now !== outcome.champion) {
    return { decision, promoted: false, reason: `the champion changed to ${now} during training; ${decision.reason}` };
  }
  const r = await deps.registry.promote(meta.version, { force: true });
  return { decision, promoted: r.promoted, reason: r.promoted ? decision.reason : r.reason };
}

/**
 * One retrain run: started → progress per epoch → decision on models.v1 → done (or failed with
 * the reason). The caller guarantees a run id reaches here once.
 */
export async function runRetrain(deps: RetrainDeps, request: JobEvent): Promise<{ promoted: boolean }> {
  const now = deps.now ?? (() => new Date());
  const t0 = Date.now();
  const base = {
    job: 'retrain' as const,
    runId: request.runId,
    requestedBy: request.requestedBy,
    worker: workerName(),
  };
  const log = deps.logger.child({ runId: request.runId });
  await deps.jobs.publish(jobEvent({ ...base, status: 'started' }, now()));
  try {
    const range = await newestOrderRange(deps.pool, deps.config.windowDays);
    log.info('retrain started', { from: new Date(range.from), to: new Date(range.to) });
    const job: TrainJob = {
      shop: deps.config.shop,
      modelsDir: deps.config.modelsDir,
      categoryMapFile: deps.config.categoryMapFile,
      range,
      stepDays: deps.config.stepDays,
      maxEpochs: deps.config.maxEpochs,
    };
    const outcome = await deps.train(job, (label, epoch, line) => {
      log.info('epoch', { label, epoch, line });
      deps.jobs
        .publish(jobEvent({ ...base, status: 'progress', counts: { epoch }, reason: `${label} epoch ${epoch}` }, now()))
        .catch((err) => log.warn('progress not published', { err }));
    });
    log.info('challenger trained', { version: outcome.version, table: outcome.lines });
    const meta = await readMeta(deps.registry.pathOf(outcome.version));
    const d = await decide(deps, meta, outcome);
    const event = decisionEvent({
      meta,
      promoted: d.promoted,
      reason: d.reason,
      comparedWith: outcome.champion,
      runId: request.runId,
      decidedBy: 'trainer',
      minGain: deps.config.minNdcgGain,
      at: now(),
    });
    const events = d.promoted && outcome.champion ? [await retiredBy(deps, outcome.champion, meta.version)] : [];
    events.push(event);
    if (!d.promoted && deps.shadowEvent) events.push(deps.shadowEvent(meta, d.decision));
    await deps.models.publish(events);
    log.info(d.promoted ? 'challenger promoted' : 'challenger stays a candidate', {
      version: meta.version,
      reason: d.reason,
      differences: event.differences.filter((x) => x.versus === `champion ${outcome.champion}`),
    });
    const durationMs = Date.now() - t0;
    const counts = { ...meta.counts, promoted: d.promoted ? 1 : 0 };
    await deps.jobs.publish(
      jobEvent({ ...base, status: 'done', counts, durationMs, reason: `${meta.version}: ${d.reason}` }, now()),
    );
    return { promoted: d.promoted };
  } catch (err) {
    log.error('retrain failed', { err });
    const reason = err instanceof Error ? err.message : String(err);
    await deps.jobs.publish(jobEvent({ ...base, status: 'failed', durationMs: Date.now() - t0, reason }, now()));
    throw err;
  }
}
