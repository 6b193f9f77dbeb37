import type { ModelEvent } from '../../streams/models/model-event.ts';
import type { EvaluationTable } from '../evaluate/evaluation-table.ts';
import type { ArtifactMeta } from './artifact.ts';

/** The metric names on models.v1 (`ndcg3`) for the evaluation's (`ndcg@3`). */
const WIRE_METRIC = { 'ndcg@3': 'ndcg3', 'recall@3': 'recall3' } as const;

const iso = (ms: number) => new Date(ms).toISOString();

/** Every scorer's row and every difference with its interval, as stored in the artifact. */
export function evaluationOnWire(evaluation: EvaluationTable): Pick<ModelEvent, 'metrics' | 'differences'> {
  return {
    metrics: evaluation.rows.map((r) => ({
      model: r.name,
      ndcg3: r.metrics.ranking['ndcg@3'] ?? 0,
      recall3: r.metrics.ranking['recall@3'] ?? 0,
    })),
    differences: (evaluation.comparisons ?? []).flatMap((c) => {
      const metric = WIRE_METRIC[c.metric as keyof typeof WIRE_METRIC];
      return metric ? [{ metric, versus: c.baseline, mean: c.diff, low: c.lo, high: c.hi, model: c.model }] : [];
    }),
  };
}

/** What every event about one version says regardless of the decision: its data, backend, metrics. */
export function versionFacts(
  meta: ArtifactMeta,
): Pick<ModelEvent, 'version' | 'metrics' | 'differences' | 'dataFrom' | 'dataTo' | 'backend' | 'testFrom' | 'testTo'> {
  return {
    version: meta.version,
    ...evaluationOnWire(meta.evaluation),
    dataFrom: meta.data.from,
    dataTo: meta.data.to,
    backend: meta.backend,
    testFrom: iso(meta.evaluation.testFrom),
    testTo: iso(meta.evaluation.testTo),
  };
}

export interface DecisionFacts {
  meta: ArtifactMeta;
  promoted: boolean;
  reason: string;
  comparedWith: string | null;
  runId: string | null;
  decidedBy: string;
  minGain: number | null;
  at: Date;
}

/** A gate decision: `promoted` (now champion) or `rejected` (stays a candidate). */
export function decisionEvent(d: DecisionFacts): ModelEvent {
  return {
    ...versionFacts(d.meta),
    event: d.promoted ? 'promoted' : 'rejected',
    status: d.promoted ? 'champion' : 'candidate',
    reason: d.reason,
    comparedWith: d.comparedWith,
    runId: d.runId,
    at: d.at.toISOString(),
    decidedBy: d.decidedBy,
    ...(d.minGain === null ? {} : { gate: { metric: 'ndcg3' as const, minGain: d.minGain, passed: d.promoted } }),
  };
}

/** A status change by hand or by coordination (rollback, shadow), about one version. */
export function statusEvent(
  meta: ArtifactMeta,
  change: Pick<ModelEvent, 'event' | 'status' | 'reason' | 'comparedWith'> & { decidedBy: string; at: Date },
): ModelEvent {
  return {
    ...versionFacts(meta),
    event: change.event,
    status: change.status,
    reason: change.reason,
    comparedWith: change.comparedWith,
    runId: null,
    at: change.at.toISOString(),
    decidedBy: change.decidedBy,
  };
}
