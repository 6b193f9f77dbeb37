import { act, fireEvent, render, screen } from '@testing-library/react';
import { Carousel, type Slide } from './carousel';

const slides: Slide[] = ['One', 'Two', 'Three'].map((label) => ({ id: label, label, content: <p>{label}</p> }));

function activeLabel(): string | null {
  const active = screen.getAllByTestId('carousel-slide').find((el) => el.getAttribute('aria-hidden') === 'false');
  return active?.textContent ?? null;
}

describe('Carousel', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('rotates every 3 seconds', () => {
    render(<Carousel slides={slides} label="Featured" />);
    expect(activeLabel()).toBe('One');
    act(() => vi.advanceTimersByTime(2999));
    expect(activeLabel()).toBe('One');
    act(() => vi.advanceTimersByTime(1));
    expect(activeLabel()).toBe('Two');
    act(() => vi.advanceTimersByTime(6000));
    expect(activeLabel()).toBe('One');
  });

  it('pauses while hovered and resumes after', () => {
    render(<Carousel slides={slides} label="Featured" />);
    fireEvent.mouseEnter(screen.getByTestId('carousel'));
    act(() => vi.advanceTimersByTime(10_000));
    expect(activeLabel()).toBe('One');
    fireEvent.mouseLeave(screen.getByTestId('carousel'));
    act(() => vi.advanceTimersByTime(3000));
    expect(activeLabel()).toBe('Two');
  });

  it('pauses while a control has keyboard focus and announces manual turns politely', () => {
    render(<Carousel slides={slides} label="Featured" />);
    const next = screen.getByRole('button', { name: 'Next slide' });
    act(() => next.focus());
    act(() => vi.advanceTimersByTime(10_000));
    expect(activeLabel()).toBe('One');
    fireEvent.click(next);
    expect(activeLabel()).toBe('Two');
    expect(document.querySelector('[aria-live]')).toHaveAttribute('aria-live', 'polite');
    fireEvent.click(screen.getByRole('button', { name: 'Slide 3: Three' }));
    expect(activeLabel()).toBe('Three');
    fireEvent.click(screen.getByRole('button', { name: 'Previous slide' }));
    expect(activeLabel()).toBe('Two');
  });

  it('does not rotate when the user prefers reduced motion', () => {
    const original = window.matchMedia;
    window.matchMedia = ((query: string) => ({ ...original(query), matches: true })) as typeof window.matchMedia;
    try {
      render(<Carousel slides={slides} label="Featured" />);
      act(() => vi.advanceTimersByTime(10_000));
      expect(activeLabel()).toBe('One');
    } finally {
      window.matchMedia = original;
    }
  });
});
