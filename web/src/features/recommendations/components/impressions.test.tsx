import { act, fireEvent, screen } from '@testing-library/react';
import { FakeIntersectionObserver } from '@/testing/intersection-observer';
import { homeFixture } from '@/testing/fixtures';
import { renderWithProviders } from '@/testing/render';
import type { StorefrontEvent } from '../api/post-events';
import { EventReporterProvider } from './event-reporter-provider';
import { RecoGrid } from './reco-grid';

describe('impression and click reporting', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    FakeIntersectionObserver.install();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  function setup() {
    const send = vi.fn((_events: StorefrontEvent[]) => Promise.resolve());
    renderWithProviders(
      <EventReporterProvider send={send} flushMs={1000}>
        <RecoGrid data={homeFixture()} userId={7} />
      </EventReporterProvider>,
    );
    return send;
  }

  it('reports each product once per recommendation, in one batch, only when half visible', () => {
    const send = setup();
    act(() => FakeIntersectionObserver.showAll(0.3));
    act(() => vi.advanceTimersByTime(1000));
    expect(send).not.toHaveBeenCalled();

    act(() => FakeIntersectionObserver.showAll(0.6));
    act(() => FakeIntersectionObserver.showAll(1));
    act(() => vi.advanceTimersByTime(1000));
    expect(send).toHaveBeenCalledTimes(1);
    const batch = send.mock.calls[0]?.[0] ?? [];
    expect(batch.map((e) => e.product_id)).toEqual([11, 12, 21, 22]);
    expect(batch[0]).toEqual({
      type: 'impression',
      user_id: 7,
      recommendation_id: 'rec-1',
      product_id: 11,
      position: 0,
      model_version: 'v3',
    });

    act(() => FakeIntersectionObserver.showAll(1));
    act(() => vi.advanceTimersByTime(5000));
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('sends a click at once', () => {
    const send = setup();
    fireEvent.click(screen.getByRole('link', { name: 'Rain jacket' }));
    expect(send).toHaveBeenCalledWith([
      { type: 'click', user_id: 7, recommendation_id: 'rec-1', product_id: 12, position: 1, model_version: 'v3' },
    ]);
  });
});
