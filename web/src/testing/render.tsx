import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { createMemoryRouter, RouterProvider, type RouteObject } from 'react-router';

export function createTestQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } },
  });
}

type Options = { route?: string; queryClient?: QueryClient; wrapper?: (children: ReactNode) => ReactNode };

/** Renders one element inside a memory router and a fresh query client. */
export function renderWithProviders(ui: ReactElement, { route = '/', queryClient, wrapper }: Options = {}) {
  const client = queryClient ?? createTestQueryClient();
  const routes: RouteObject[] = [{ path: '*', element: wrapper ? wrapper(ui) : ui }];
  const router = createMemoryRouter(routes, { initialEntries: [route] });
  const result = render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { ...result, router, queryClient: client };
}

/** Renders a whole route table, for tests that follow navigation. */
export function renderRoutes(routes: RouteObject[], { route = '/', queryClient }: Options = {}) {
  const client = queryClient ?? createTestQueryClient();
  const router = createMemoryRouter(routes, { initialEntries: [route] });
  const result = render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { ...result, router, queryClient: client };
}
