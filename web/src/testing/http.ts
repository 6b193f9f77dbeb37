import { vi } from 'vitest';

export function jsonResponse(body: unknown, status = 200, contentType = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
}

export function problemResponse(status: number, title: string, detail?: string): Response {
  return jsonResponse({ type: 'about:blank', title, status, detail }, status, 'application/problem+json');
}

type Handler = (url: URL, init: RequestInit | undefined) => Response | Promise<Response> | undefined;

/** Stubs global fetch with a router over URL paths; unknown requests fail loudly. */
export function mockFetch(handler: Handler) {
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const response = await handler(url, init);
    if (!response) throw new Error(`Unexpected request: ${init?.method ?? 'GET'} ${url.pathname}${url.search}`);
    return response;
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}
