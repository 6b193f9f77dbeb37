import type { RecommendedCategory } from '@/lib/api-types';

type WhyHintProps = { category: RecommendedCategory | undefined };

// The first reason is shown outright, since a hint nobody opens explains nothing; the rest fold away.
export function WhyHint({ category }: WhyHintProps) {
  const [first, ...rest] = category?.reasons ?? [];
  if (!category || !first) return null;
  return (
    <div className="why-hint" data-testid="why-hint">
      <p className="why-hint__reason">
        <span className="why-hint__label">Why {category.name}:</span> {first.text}
      </p>
      {rest.length > 0 && (
        <details>
          <summary>{rest.length === 1 ? '1 more reason' : `${rest.length} more reasons`}</summary>
          <ul>
            {rest.map((reason) => (
              <li key={reason.code}>{reason.text}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
