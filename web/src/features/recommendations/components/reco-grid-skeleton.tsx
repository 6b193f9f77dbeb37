import { Skeleton } from '@/components/feedback/skeleton';
import './reco-grid.css';

export function RecoGridSkeleton({ count = 8 }: { count?: number }) {
  return (
    <ul className="reco-grid reco-grid--4-col" data-testid="reco-grid-skeleton" aria-busy="true" aria-label="Loading">
      {Array.from({ length: count }, (_, i) => (
        <li key={i} className="reco-grid__item">
          <div className="reco-card reco-card--skeleton">
            <Skeleton className="reco-card__image" height="auto" />
            <Skeleton height="1.1em" width="80%" />
            <Skeleton height="1em" width="40%" />
          </div>
        </li>
      ))}
    </ul>
  );
}
