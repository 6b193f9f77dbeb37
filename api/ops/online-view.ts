import { storefrontEventSchema } from '../../streams/storefront/storefront-event.ts';
import type { OnlineRow } from '../schemas/ops.ts';

/**
 * Impressions and clicks per model version from storefront.events.v1. Orders and hits stay 0 here:
 * attributing orders to what was shown is the online-comparison function being written in model/.
 */
export interface OnlineView {
  accept(value: unknown): void;
  rows(): OnlineRow[];
}

export function createOnlineView(): OnlineView {
  const byVersion = new Map<string, { impressions: number; clicks: number }>();
  return {
    accept(value) {
      const e = storefrontEventSchema.parse(value);
      const key = e.modelVersion ?? 'unknown';
      const v = byVersion.get(key) ?? { impressions: 0, clicks: 0 };
      if (e.type === 'impression') v.impressions++;
      else v.clicks++;
      byVersion.set(key, v);
    },
    rows() {
      return [...byVersion.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([model_version, v]) => ({
          model_version,
          impressions: v.impressions,
          clicks: v.clicks,
          ctr: v.impressions ? v.clicks / v.impressions : 0,
          orders: 0,
          hits: 0,
          hit_rate: 0,
        }));
    },
  };
}
