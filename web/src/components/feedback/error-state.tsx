import { errorMessage } from '@/lib/api-client';
import './error-state.css';

type ErrorStateProps = { title: string; error: unknown; onRetry?: () => void };

export function ErrorState({ title, error, onRetry }: ErrorStateProps) {
  return (
    <div className="error-state" role="alert" data-testid="error-state">
      <p className="error-state__title">{title}</p>
      <p className="error-state__detail">{errorMessage(error)}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
