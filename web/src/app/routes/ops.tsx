import { OpsPage } from '@/features/ops/components/ops-page';

export function OpsRoute() {
  return <OpsPage />;
}
