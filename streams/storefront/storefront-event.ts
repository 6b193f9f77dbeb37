import { z } from 'zod';
import { defineTopic } from '../topic.ts';

/** What a shopper saw or clicked on the storefront, attributed to the recommendation that showed it. */
export const storefrontEventSchema = z.object({
  eventId: z.uuid(),
  type: z.enum(['impression', 'click']),
  userId: z.number().int().positive(),
  recommendationId: z.uuid().nullable(),
  modelVersion: z.string().nullable(),
  productId: z.number().int().positive(),
  /** 0-based slot in the grid. */
  position: z.number().int().min(0).max(1000),
  at: z.iso.datetime({ offset: true }),
});

export type StorefrontEvent = z.output<typeof storefrontEventSchema>;

export const storefrontEventsTopic = defineTopic({
  name: 'storefront.events.v1',
  schema: storefrontEventSchema,
  key: (e) => String(e.userId),
  cleanupPolicy: 'delete',
  description: 'Impressions and clicks on recommended products (key: user id)',
});
