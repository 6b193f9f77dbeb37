import { fireEvent, screen, waitFor } from '@testing-library/react';
import { FakeEventSource } from '@/testing/event-source';
import { homeFixture } from '@/testing/fixtures';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/http';
import { renderRoutes } from '@/testing/render';
import { routes } from './routes-config';

const nicknames: Record<number, string> = { 1: 'ann', 3: 'carl', 7: 'gwen' };

function mockApi() {
  return mockFetch((url) => {
    if (url.pathname === '/users') {
      return jsonResponse({
        items: Object.entries(nicknames).map(([id, nickname]) => ({ user_id: Number(id), nickname })),
        next_cursor: null,
      });
    }
    const user = /^\/users\/(\d+)$/.exec(url.pathname);
    if (user) {
      const id = Number(user[1]);
      const nickname = nicknames[id];
      return nickname ? jsonResponse({ user_id: id, nickname }) : problemResponse(404, 'Not Found');
    }
    if (url.pathname === '/recommendations/home') {
      const id = Number(url.searchParams.get('user_id'));
      return jsonResponse(homeFixture({ user_nickname: nicknames[id] ?? 'guest', recommendation_id: `rec-${id}` }));
    }
    return undefined;
  });
}

describe('shopper switcher', () => {
  beforeEach(() => FakeEventSource.install());
  afterEach(() => vi.unstubAllGlobals());

  it('picks a shopper from the list: URL, storage, nickname, grid and stream follow', async () => {
    const fetchMock = mockApi();
    const { router } = renderRoutes(routes, { route: '/?user=3' });
    await waitFor(() => expect(screen.getByTestId('shopper-nickname')).toHaveTextContent('carl'));

    const select = await screen.findByRole('combobox', { name: 'Pick a shopper' });
    await screen.findByRole('option', { name: '#7 gwen' });
    fireEvent.change(select, { target: { value: '7' } });

    await waitFor(() => expect(router.state.location.search).toBe('?user=7'));
    await waitFor(() => expect(screen.getByTestId('shopper-nickname')).toHaveTextContent('gwen'));
    expect(window.localStorage.getItem('shop-reco.user')).toBe('7');
    await waitFor(() => expect(screen.getByTestId('reco-grid')).toHaveAttribute('data-recommendation-id', 'rec-7'));
    expect(FakeEventSource.latest().url).toContain('user_id=7');
    expect(fetchMock.mock.calls.some(([u]) => String(u).endsWith('/recommendations/home?user_id=7'))).toBe(true);
  });

  it('accepts a typed id and rejects a malformed one', async () => {
    mockApi();
    const { router } = renderRoutes(routes, { route: '/?user=1' });
    const input = screen.getByRole('textbox', { name: 'Shopper id' });
    fireEvent.change(input, { target: { value: 'abc' } });
    fireEvent.click(screen.getByRole('button', { name: 'Switch' }));
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(router.state.location.search).toBe('?user=1');

    fireEvent.change(input, { target: { value: '42' } });
    fireEvent.click(screen.getByRole('button', { name: 'Switch' }));
    await waitFor(() => expect(router.state.location.search).toBe('?user=42'));
    expect(await screen.findByText('new shopper #42')).toBeInTheDocument();
  });

  it('restores the last shopper from storage when the URL has none', async () => {
    mockApi();
    window.localStorage.setItem('shop-reco.user', '7');
    const { router } = renderRoutes(routes, { route: '/' });
    await waitFor(() => expect(router.state.location.search).toBe('?user=7'));
    await waitFor(() => expect(screen.getByTestId('shopper-nickname')).toHaveTextContent('gwen'));
  });
});
