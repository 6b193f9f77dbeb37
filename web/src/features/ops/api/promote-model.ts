import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

// The contract promises only a 200 here; whatever body comes with it is not used.
export function promoteModel(token: string, version: string): Promise<unknown> {
  return apiRequest(`/ops/models/${encodeURIComponent(version)}/promote`, {
    method: 'POST',
    body: {},
    schema: z.unknown(),
    token,
  });
}
