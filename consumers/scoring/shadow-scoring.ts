import type { Producer } from 'kafkajs';
import type { Logger } from '../../core/logger.ts';
import type { ChampionScorer } from '../../model/registry/champion.ts';
import { asScoringModel } from './load-model.ts';
import { publishRecommendations } from './publisher.ts';
import type { Scorer, ScoreRequest } from './scorer.ts';
import type { ScoringMetrics } from './scoring-metrics.ts';
import type { ScoringModel } from './scoring-model.ts';

export interface ShadowScoringDeps {
  /** The shadow model now (createShadowSlot), or null when no challenger is in shadow. */
  shadow: () => ChampionScorer | null;
  /** A scorer like the champion's, built on the model given here (createScorer). */
  makeScorer: (model: () => ScoringModel | null) => Scorer;
  producer: Producer;
  topic: string;
  metrics: ScoringMetrics;
  logger: Logger;
  /** Batches allowed to wait behind the one being scored before new ones are skipped. */
  maxQueued?: number;
}

export interface ShadowScoring {
  /** Queues the batch the champion just scored; returns at once (the champion never waits for it). */
  submit(requests: readonly ScoreRequest[]): void;
  /** Resolves when everything queued so far is published (tests, shutdown). */
  idle(): Promise<void>;
}

/**
 * Scores what the champion scored with the challenger in shadow mode and publishes it to
 * recommendations.shadow.v1, so the online comparison can judge the challenger on live traffic.
 * It runs behind the champion's publish, one batch at a time; when it falls behind it skips
 * batches (counted) rather than slow the champion's freshness.
 */
export function createShadowScoring(deps: ShadowScoringDeps): ShadowScoring {
  let wrapped: { of: ChampionScorer; model: ScoringModel } | null = null;
  const model = () => {
    const s = deps.shadow();
    if (!s) return null;
    if (wrapped?.of !== s) wrapped = { of: s, model: asScoringModel(s) };
    return wrapped.model;
  };
  const scorer = deps.makeScorer(model);
  let chain: Promise<void> = Promise.resolve();
  let queued = 0;
  const run = async (requests: readonly ScoreRequest[]) => {
    const m = model();
    if (!m) return;
    const recs = (await scorer.score(requests)).filter((r) => r.modelVersion === m.version);
    await publishRecommendations(
      deps.producer,
      deps.topic,
      recs.map((rec) => ({ userId: rec.userId, rec })),
    );
    deps.metrics.shadowScored.inc({ model_version: m.version }, recs.length);
  };
  return {
    submit(requests) {
      if (!requests.length || !deps.shadow()) return;
      if (queued > (deps.maxQueued ?? 4)) {
        deps.metrics.shadowSkipped.inc({ why: 'behind' }, requests.length);
        return;
      }
      queued++;
      chain = chain
        .then(() => run(requests))
        .catch((err: Error) => {
          deps.metrics.shadowSkipped.inc({ why: 'failed' }, requests.length);
          deps.logger.warn('shadow scoring failed; the champion is unaffected', { err });
        })
        .finally(() => queued--);
    },
    idle: () => chain,
  };
}
