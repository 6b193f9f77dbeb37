import type { RouteObject } from 'react-router';
import { AppLayout } from './layout/app-layout';
import { HomeRoute } from './routes/home';
import { NotFoundRoute } from './routes/not-found';
import { ProductRoute } from './routes/product';

export const routes: RouteObject[] = [
  {
    path: '/',
    element: <AppLayout />,
    // Shown while a lazy route (ops) loads on a cold start directly at its URL.
    hydrateFallbackElement: <p className="page">Loading…</p>,
    children: [
      { index: true, element: <HomeRoute /> },
      { path: 'products/:productId', element: <ProductRoute /> },
      // The charting library is only needed by operators, so it stays out of the shopper's bundle.
      { path: 'ops', lazy: () => import('./routes/ops').then((m) => ({ Component: m.OpsRoute })) },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];
