import { z } from 'zod';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/http';
import { apiRequest, ApiError, ContractError } from './api-client';

const schema = z.object({ ok: z.boolean() });

describe('apiRequest', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('parses a valid body against the schema', async () => {
    const fetchMock = mockFetch(() => jsonResponse({ ok: true, extra: 1 }));
    await expect(apiRequest('/thing', { schema })).resolves.toEqual({ ok: true });
    expect(String(fetchMock.mock.calls[0]?.[0])).toBe('http://127.0.0.1:8000/thing');
  });

  it('turns a problem+json error into an ApiError with its detail', async () => {
    mockFetch(() => problemResponse(400, 'Bad Request', 'user_id must be a positive integer'));
    const error = await apiRequest('/thing', { schema }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).message).toBe('user_id must be a positive integer');
    expect((error as ApiError).problem?.title).toBe('Bad Request');
  });

  it('falls back to the title, then to the status, when the problem says less', async () => {
    mockFetch(() => jsonResponse({ title: 'Service Unavailable', status: 503 }, 503, 'application/problem+json'));
    await expect(apiRequest('/a', { schema })).rejects.toThrow('Service Unavailable');
    mockFetch(() => new Response('<html>gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } }));
    await expect(apiRequest('/b', { schema })).rejects.toThrow('GET /b failed with HTTP 502');
  });

  it('reports contract drift as a ContractError naming the field', async () => {
    mockFetch(() => jsonResponse({ ok: 'yes' }));
    const error = await apiRequest('/thing', { schema }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractError);
    expect((error as Error).message).toMatch(/\/thing: ok:/);
  });

  it('sends JSON bodies and the bearer token', async () => {
    const fetchMock = mockFetch(() => jsonResponse({ ok: true }));
    await apiRequest('/ops/x', { schema, method: 'POST', body: { a: 1 }, token: 'secret' });
    const init = fetchMock.mock.calls[0]?.[1];
    const headers = new Headers(init?.headers);
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('{"a":1}');
    expect(headers.get('Authorization')).toBe('Bearer secret');
    expect(headers.get('Content-Type')).toBe('application/json');
  });
});
