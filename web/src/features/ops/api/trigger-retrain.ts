import { apiRequest } from '@/lib/api-client';
import { jobAcceptedSchema } from '@/lib/api-types';

export function triggerRetrain(token: string): Promise<{ run_id: string }> {
  return apiRequest('/ops/jobs/retrain', { method: 'POST', body: {}, schema: jobAcceptedSchema, token });
}
