import { describe, expect, it } from 'vitest';
import { createTestRegistry } from '../../e2e/harness/test-champion.ts';
import { syntheticFeatures } from '../../e2e/harness/synthetic-features.ts';
import { selectBackend } from '../backend/select-backend.ts';
import { loadVersionScorer } from './shadow.ts';

describe('a loaded version as a scorer', () => {
  it('scores and explains from one encoding exactly as score and explain do apart', async () => {
    const models = await createTestRegistry();
    try {
      const version = await models.addVersion(5);
      const { tf } = await selectBackend({ only: ['wasm', 'cpu'] });
      const scorer = await loadVersionScorer({ tf, registry: models.registry }, version);
      const rows = Array.from({ length: 40 }, (_, i) => syntheticFeatures(i + 1, { orders: i % 5 }));
      const both = scorer.scoreAndExplain(rows);
      expect(both.probs).toEqual(scorer.score(rows));
      expect(both.wide).toEqual(scorer.explain(rows));
      scorer.dispose();
    } finally {
      await models.cleanup();
    }
  }, 60_000);
});
