import type { ReactNode } from 'react';

type PanelProps = { title: string; children: ReactNode; testId?: string; wide?: boolean };

export function Panel({ title, children, testId, wide }: PanelProps) {
  const id = `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section className={`ops-panel${wide ? ' ops-panel--wide' : ''}`} aria-labelledby={id} data-testid={testId}>
      <h2 id={id} className="ops-panel__title">
        {title}
      </h2>
      {children}
    </section>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="ops-empty">{children}</p>;
}
