import { apiRequest } from '@/lib/api-client';
import { jobAcceptedSchema } from '@/lib/api-types';

export function triggerSweep(token: string): Promise<{ run_id: string }> {
  return apiRequest('/ops/jobs/sweep', { method: 'POST', body: {}, schema: jobAcceptedSchema, token });
}
