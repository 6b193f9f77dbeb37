import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

export function rollbackModel(token: string): Promise<unknown> {
  return apiRequest('/ops/models/rollback', { method: 'POST', body: {}, schema: z.unknown(), token });
}
