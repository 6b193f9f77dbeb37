import './skeleton.css';

type SkeletonProps = { className?: string; height?: number | string; width?: number | string };

export function Skeleton({ className = '', height = '1em', width = '100%' }: SkeletonProps) {
  return <span className={`skeleton ${className}`} style={{ height, width }} aria-hidden="true" />;
}
