import { useEffect, useState, type FocusEvent, type ReactNode } from 'react';
import { useReducedMotion } from '@/hooks/use-reduced-motion';
import './carousel.css';

export type Slide = { id: string; label: string; content: ReactNode };

type CarouselProps = { slides: Slide[]; intervalMs?: number; label: string };

export function Carousel({ slides, intervalMs = 3000, label }: CarouselProps) {
  const [index, setIndex] = useState(0);
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const [stopped, setStopped] = useState(false);
  const reducedMotion = useReducedMotion();
  const rotating = slides.length > 1 && !hovered && !focused && !stopped && !reducedMotion;

  useEffect(() => {
    if (!rotating) return;
    const timer = window.setInterval(() => setIndex((i) => (i + 1) % slides.length), intervalMs);
    return () => window.clearInterval(timer);
  }, [rotating, intervalMs, slides.length]);

  const go = (delta: number) => setIndex((i) => (i + delta + slides.length) % slides.length);
  const onBlur = (event: FocusEvent<HTMLElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setFocused(false);
  };

  if (slides.length === 0) return null;
  return (
    <section
      className={`carousel${reducedMotion ? ' carousel--reduced-motion' : ''}`}
      aria-roledescription="carousel"
      aria-label={label}
      data-testid="carousel"
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocus={() => setFocused(true)}
      onBlur={onBlur}
    >
      {/* Announcing every automatic turn would drown out a screen reader, so only manual turns are live. */}
      <div className="carousel__viewport" aria-live={rotating ? 'off' : 'polite'} aria-atomic="false">
        {slides.map((slide, i) => (
          <div
            key={slide.id}
            className={`carousel__slide${i === index ? ' carousel__slide--active' : ''}`}
            role="group"
            aria-roledescription="slide"
            aria-label={`${i + 1} of ${slides.length}: ${slide.label}`}
            aria-hidden={i !== index}
            data-testid="carousel-slide"
          >
            {slide.content}
          </div>
        ))}
      </div>
      <div className="carousel__controls">
        <button type="button" className="carousel__button" onClick={() => go(-1)} aria-label="Previous slide">
          ‹
        </button>
        <div className="carousel__dots" role="group" aria-label="Choose slide">
          {slides.map((slide, i) => (
            <button
              key={slide.id}
              type="button"
              className={`carousel__dot${i === index ? ' carousel__dot--active' : ''}`}
              aria-label={`Slide ${i + 1}: ${slide.label}`}
              aria-current={i === index ? 'true' : undefined}
              onClick={() => setIndex(i)}
            />
          ))}
        </div>
        <button type="button" className="carousel__button" onClick={() => go(1)} aria-label="Next slide">
          ›
        </button>
        <button
          type="button"
          className="carousel__button carousel__button--toggle"
          onClick={() => setStopped((s) => !s)}
          aria-label={stopped ? 'Start slide rotation' : 'Stop slide rotation'}
        >
          {stopped ? '▶' : '❚❚'}
        </button>
      </div>
    </section>
  );
}
