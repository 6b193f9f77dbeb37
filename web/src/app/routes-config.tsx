import type { RouteObject } from 'react-router';
import { AppLayout } from './layout/app-layout';
import { HomeRoute } from './routes/home';
import { NotFoundRoute } from './routes/not-found';
import { ProductRoute } from './routes/product';

export const routes: RouteObject[] = [
  {
    path: '/',
    element: <AppLayout />,
    children: [
      { index: true, element: <HomeRoute /> },
      { path: 'products/:productId', element: <ProductRoute /> },
      // The charting library is only needed by operators, so it stays out of the shopper's bundle.
      { path: 'ops', lazy: () => import('./routes/ops').then((m) => ({ Component: m.OpsRoute })) },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];
