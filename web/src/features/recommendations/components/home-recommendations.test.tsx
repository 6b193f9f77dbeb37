import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { FakeEventSource } from '@/testing/event-source';
import { homeFixture } from '@/testing/fixtures';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/http';
import { renderWithProviders } from '@/testing/render';
import { HomeRecommendations } from './home-recommendations';
import { RecommendationStream } from './recommendation-stream';

function renderHome(userId = 7) {
  return renderWithProviders(
    <>
      <RecommendationStream userId={userId} />
      <HomeRecommendations userId={userId} />
    </>,
  );
}

describe('HomeRecommendations', () => {
  beforeEach(() => FakeEventSource.install());
  afterEach(() => vi.unstubAllGlobals());

  it('shows skeletons while loading, then a 4-column grid of cards', async () => {
    let release: (r: Response) => void = () => {};
    mockFetch(() => new Promise<Response>((resolve) => (release = resolve)));
    renderHome();
    expect(screen.getByTestId('reco-grid-skeleton')).toHaveAttribute('aria-busy', 'true');

    await act(async () => release(jsonResponse(homeFixture())));
    const grid = await screen.findByTestId('reco-grid');
    expect(grid).toHaveClass('reco-grid', 'reco-grid--4-col');
    expect(screen.queryByTestId('reco-grid-skeleton')).not.toBeInTheDocument();

    const cards = within(grid).getAllByTestId('reco-card');
    expect(cards).toHaveLength(4);
    expect(cards[0]).toHaveAttribute('data-product-id', '11');
    expect(cards[0]).toHaveAttribute('data-category-id', '1');
    expect(within(cards[0] as HTMLElement).getByRole('link', { name: 'Trail shoes' })).toHaveAttribute(
      'href',
      '/products/11?user=7',
    );
    expect(within(cards[0] as HTMLElement).getByText('$89.50')).toBeInTheDocument();
    expect(cards[0]?.querySelector('img')).toHaveAttribute('src', 'http://127.0.0.1:8000/images/products/11.svg');
    expect(cards[2]?.querySelector('img')).toHaveAttribute('src', 'https://cdn.example/21.png');
    expect(within(cards[0] as HTMLElement).getByText('You bought outdoor gear')).toBeInTheDocument();
  });

  it('shows the error with a retry button that refetches', async () => {
    let calls = 0;
    mockFetch(() =>
      ++calls === 1 ? problemResponse(503, 'Service Unavailable', 'database is down') : jsonResponse(homeFixture()),
    );
    renderHome();
    expect(await screen.findByRole('alert')).toHaveTextContent('database is down');

    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('reco-grid')).toBeInTheDocument();
    expect(calls).toBe(2);
  });

  it('shows contract drift as an error, not a blank page', async () => {
    mockFetch(() => jsonResponse({ user_nickname: 'alice', recommendations: [{ product_id: 'x' }] }));
    renderHome();
    expect(await screen.findByRole('alert')).toHaveTextContent(/Unexpected response from \/recommendations\/home/);
  });

  it('replaces the grid with the payload pushed on the stream', async () => {
    mockFetch(() => jsonResponse(homeFixture()));
    renderHome(7);
    await screen.findByTestId('reco-grid');
    const source = FakeEventSource.latest();
    expect(source.url).toBe('http://127.0.0.1:8000/recommendations/stream?user_id=7');

    const pushed = homeFixture({
      recommendation_id: 'rec-2',
      produced_at: '2026-01-01T00:00:05.000Z',
      recommendations: [{ product_id: 99, category_id: 9, title: 'Telescope', price: 300, image_url: '/i/99.svg' }],
    });
    act(() => source.emit('recommendation', pushed));

    await waitFor(() => expect(screen.getAllByTestId('reco-card')).toHaveLength(1));
    expect(screen.getByTestId('reco-card')).toHaveAttribute('data-product-id', '99');
    expect(screen.getByTestId('reco-grid')).toHaveAttribute('data-recommendation-id', 'rec-2');
  });

  it('ignores a stale pushed payload and closes the stream on unmount', async () => {
    mockFetch(() => jsonResponse(homeFixture()));
    const { unmount } = renderHome(7);
    await screen.findByTestId('reco-grid');
    const source = FakeEventSource.latest();
    act(() =>
      source.emit('recommendation', homeFixture({ produced_at: '2025-12-31T00:00:00.000Z', recommendations: [] })),
    );
    expect(screen.getAllByTestId('reco-card')).toHaveLength(4);
    unmount();
    expect(source.closed).toBe(true);
  });
});
