import type { RecommendedCategory } from '@/lib/api-types';

type WhyHintProps = { category: RecommendedCategory | undefined };

export function WhyHint({ category }: WhyHintProps) {
  if (!category || category.reasons.length === 0) return null;
  return (
    <details className="why-hint" data-testid="why-hint">
      <summary aria-label={`Why ${category.name}?`}>Why?</summary>
      <ul>
        {category.reasons.map((reason) => (
          <li key={reason.code}>{reason.text}</li>
        ))}
      </ul>
    </details>
  );
}
