import { z } from '@hono/zod-openapi';

/** Ids are INT columns: anything outside 1..2^31-1 (or not a number) is a 400 before the database sees it. */
export const MAX_ID = 2_147_483_647;

export const idParam = (name: string, description: string) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_ID)
    .openapi({ param: { name, in: 'path' }, description, example: 1 });

export const idQuery = (description: string) =>
  z.coerce.number().int().min(1).max(MAX_ID).openapi({ description, example: 1 });

export const limitQuery = z.coerce.number().int().min(1).max(100).default(20).openapi({ description: 'page size' });

/** Opaque to clients; today the last id of the previous page. */
export const cursorQuery = z
  .string()
  .regex(/^\d{1,10}$/, 'a cursor from next_cursor')
  .openapi({ description: 'next_cursor of the previous page' });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    request_id: z.string().optional(),
  })
  .openapi('Problem');

const problemContent = { 'application/problem+json': { schema: problemSchema } };

/** The problem responses a route documents besides its success. */
export const problems = (...statuses: (400 | 401 | 404 | 409 | 415 | 503)[]) => {
  const descriptions: Record<number, string> = {
    400: 'invalid input, malformed JSON or a body over the limit (the field is named in errors)',
    401: 'missing or wrong bearer token',
    404: 'not found',
    409: 'conflict',
    415: 'not JSON',
    503: 'a dependency is briefly unavailable (Retry-After)',
  };
  return Object.fromEntries(
    statuses.map((s) => [s, { description: descriptions[s]!, content: problemContent }]),
  ) as Record<number, { description: string; content: typeof problemContent }>;
};
