import { createBrowserRouter, RouterProvider } from 'react-router';
import { routes } from './routes-config';

const router = createBrowserRouter(routes);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
