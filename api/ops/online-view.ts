import type { OrderSeen, RecSeen } from '../../streams/online/online-comparison.ts';
import { createOnlineTally } from '../../streams/online/online-tally.ts';
import { z } from 'zod';
import { rankedCategorySchema, recommendationSchema } from '../../streams/recommendations/recommendation.ts';
import { storefrontEventSchema } from '../../streams/storefront/storefront-event.ts';
import type { OnlineRow } from '../schemas/ops.ts';

/**
 * Online results per model version for the ops page, kept current by the API's ops consumer
 * (recommendations.v1, recommendations.shadow.v1, storefront.events.v1) and the order feed:
 * impressions and clicks, and how often the order that follows a recommendation holds one of its top three.
 */
export interface OnlineView {
  recommendation(topic: RecSeen['topic'], value: unknown): void;
  event(value: unknown): void;
  order(o: OrderSeen): void;
  rows(): OnlineRow[];
}

/**
 * The fields the tally reads, checked as the topic's schema checks them: every value on the topic
 * passes by the scorer's full schema, and this view reads each one, so it parses no more than it uses.
 */
const tallied = recommendationSchema
  .pick({ userId: true, modelVersion: true, producedAt: true })
  .extend({ categories: z.array(rankedCategorySchema.pick({ name: true, rank: true })) });

export function createOnlineView(): OnlineView {
  const tally = createOnlineTally();
  return {
    recommendation(topic, value) {
      const r = tallied.parse(value);
      const top3 = [...r.categories]
        .sort((a, b) => a.rank - b.rank)
        .slice(0, 3)
        .map((c) => c.name);
      tally.recommendation({
        topic,
        version: r.modelVersion,
        userId: r.userId,
        producedAt: Date.parse(r.producedAt),
        top3,
      });
    },
    event(value) {
      const e = storefrontEventSchema.parse(value);
      tally.interaction({ modelVersion: e.modelVersion, type: e.type });
    },
    order: (o) => tally.order(o),
    rows() {
      const rows: OnlineRow[] = tally.versions().map((v) => ({
        model_version: v.version,
        topic: v.topic,
        recommendations: v.recommendations,
        impressions: v.impressions,
        clicks: v.clicks,
        ctr: v.ctr ?? 0,
        orders: v.followed,
        hits: v.hits,
        hit_rate: v.hitRate ?? 0,
      }));
      // Shown but never produced on a topic (popularity for cold starts, or an unattributed event).
      const produced = new Set(rows.map((r) => r.model_version));
      for (const [version, i] of tally.interactions()) {
        const model_version = version ?? 'unknown';
        if (produced.has(model_version)) continue;
        rows.push({
          model_version,
          topic: null,
          recommendations: 0,
          ...i,
          ctr: i.impressions ? i.clicks / i.impressions : 0,
          orders: 0,
          hits: 0,
          hit_rate: 0,
        });
      }
      return rows;
    },
  };
}
