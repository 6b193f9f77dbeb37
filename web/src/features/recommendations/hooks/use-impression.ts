import { useEffect, useRef, type RefObject } from 'react';

/** Calls onVisible once, the first time at least half of the element is on screen. */
export function useImpression<T extends Element>(ref: RefObject<T | null>, onVisible: () => void, key: string): void {
  const callback = useRef(onVisible);
  useEffect(() => {
    callback.current = onVisible;
  });

  useEffect(() => {
    const element = ref.current;
    if (!element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting && entry.intersectionRatio >= 0.5)) {
          callback.current();
          observer.disconnect();
        }
      },
      { threshold: 0.5 },
    );
    observer.observe(element);
    return () => observer.disconnect();
    // key: a new recommendation for the same card is a new impression.
  }, [ref, key]);
}
