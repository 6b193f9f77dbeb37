import { apiRequest } from '@/lib/api-client';
import { eventsAcceptedSchema } from '@/lib/api-types';

export type StorefrontEvent = {
  type: 'impression' | 'click';
  user_id: number;
  recommendation_id: string | null;
  product_id: number;
  /** 0-based slot of the product in the grid. */
  position: number;
  model_version?: string | null;
};

// keepalive lets a batch outlive the page (pagehide) the way sendBeacon would, but with JSON and CORS.
export function postEvents(events: StorefrontEvent[]): Promise<{ accepted: number }> {
  return apiRequest('/events', { method: 'POST', body: { events }, schema: eventsAcceptedSchema, keepalive: true });
}
