import type { StorefrontEvent } from '../api/post-events';
import { createEventReporter } from './event-reporter';

const base = { user_id: 1, recommendation_id: 'r1', position: 0, model_version: 'v1' };

describe('createEventReporter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('dedupes impressions by recommendation_id + product, but not across recommendations', () => {
    const send = vi.fn((_events: StorefrontEvent[]) => Promise.resolve());
    const reporter = createEventReporter({ send });
    reporter.impression({ ...base, product_id: 5 });
    reporter.impression({ ...base, product_id: 5 });
    reporter.impression({ ...base, recommendation_id: 'r2', product_id: 5 });
    vi.advanceTimersByTime(1000);
    expect(send.mock.calls[0]?.[0].map((e) => e.recommendation_id)).toEqual(['r1', 'r2']);
  });

  it('splits large queues into bounded batches and flushes when the page is hidden', () => {
    const send = vi.fn((_events: StorefrontEvent[]) => Promise.resolve());
    const reporter = createEventReporter({ send, maxBatch: 2 });
    const detach = reporter.attach();
    reporter.impression({ ...base, product_id: 1 });
    expect(send).not.toHaveBeenCalled();
    window.dispatchEvent(new Event('pagehide'));
    expect(send).toHaveBeenCalledTimes(1);
    for (const id of [2, 3, 4]) reporter.impression({ ...base, product_id: id });
    expect(send).toHaveBeenCalledTimes(2);
    detach();
    expect(send.mock.calls.map((c) => c[0].length)).toEqual([1, 2, 1]);
  });

  it('swallows send failures', async () => {
    const reporter = createEventReporter({ send: () => Promise.reject(new Error('offline')) });
    reporter.click({ ...base, product_id: 1 });
    await vi.runAllTimersAsync();
  });
});
