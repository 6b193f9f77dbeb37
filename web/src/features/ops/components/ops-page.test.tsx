import { fireEvent, screen, waitFor } from '@testing-library/react';
import { opsFixture } from '@/testing/fixtures';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/http';
import { renderWithProviders } from '@/testing/render';
import { OpsPage } from './ops-page';

function enterToken(token: string) {
  fireEvent.change(screen.getByLabelText('Ops token'), { target: { value: token } });
  fireEvent.click(screen.getByRole('button', { name: 'Open ops page' }));
}

describe('OpsPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks for the token once, keeps it in sessionStorage and shows the dashboard', async () => {
    const fetchMock = mockFetch((url, init) => {
      if (url.pathname !== '/ops/overview') return undefined;
      const auth = new Headers(init?.headers).get('Authorization');
      return auth === 'Bearer good' ? jsonResponse(opsFixture()) : problemResponse(401, 'Unauthorized');
    });
    renderWithProviders(<OpsPage />);
    expect(screen.getByTestId('ops-token-prompt')).toBeInTheDocument();
    enterToken('good');

    expect(await screen.findByTestId('freshness-chart')).toHaveAttribute('data-count', '10');
    expect(window.sessionStorage.getItem('shop-reco.ops-token')).toBe('good');
    expect(screen.getByText('p95 450 ms')).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: 'shop.orders' })).toBeInTheDocument();
    expect(screen.getByText('1.50/s')).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: 'run-1' })).toBeInTheDocument();
    expect(screen.getByTestId('ndcg-chart')).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: '7.0%' })).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: '66.7%' })).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('shows the prompt again, with a notice, when the API answers 401', async () => {
    window.sessionStorage.setItem('shop-reco.ops-token', 'stale');
    mockFetch((url) => (url.pathname === '/ops/overview' ? problemResponse(401, 'Unauthorized') : undefined));
    renderWithProviders(<OpsPage />);

    expect(await screen.findByTestId('ops-token-prompt')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('rejected');
    expect(window.sessionStorage.getItem('shop-reco.ops-token')).toBeNull();
  });

  it('triggers a sweep with the token', async () => {
    window.sessionStorage.setItem('shop-reco.ops-token', 'good');
    const fetchMock = mockFetch((url, init) => {
      if (url.pathname === '/ops/overview') return jsonResponse(opsFixture());
      if (url.pathname === '/ops/jobs/sweep' && init?.method === 'POST') return jsonResponse({ run_id: 'run-2' }, 202);
      return undefined;
    });
    renderWithProviders(<OpsPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Run sweep' }));
    await waitFor(() => expect(screen.getByText('Accepted: sweep')).toBeInTheDocument());
    const sweep = fetchMock.mock.calls.find(([u]) => String(u).endsWith('/ops/jobs/sweep'));
    expect(new Headers(sweep?.[1]?.headers).get('Authorization')).toBe('Bearer good');
  });
});
