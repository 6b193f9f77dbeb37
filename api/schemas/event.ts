import { z } from '@hono/zod-openapi';
import { MAX_ID } from './common.ts';

export const MAX_EVENTS_PER_REQUEST = 100;

/** What the storefront reports; the API adds eventId and at before it goes on storefront.events.v1. */
export const storefrontEventRequest = z.strictObject({
  type: z.enum(['impression', 'click']),
  user_id: z.number().int().min(1).max(MAX_ID),
  recommendation_id: z.uuid().nullable(),
  product_id: z.number().int().min(1).max(MAX_ID),
  position: z.number().int().min(0).max(1000),
  model_version: z.string().min(1).max(64).nullable().optional(),
});

export const eventsRequest = z
  .strictObject({ events: z.array(storefrontEventRequest).min(1).max(MAX_EVENTS_PER_REQUEST) })
  .openapi('EventsRequest');

export const eventsAcceptedBody = z.object({ accepted: z.number().int() }).openapi('EventsAccepted');

export type StorefrontEventRequest = z.infer<typeof storefrontEventRequest>;
