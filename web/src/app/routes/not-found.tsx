import { Link } from 'react-router';
import { paths } from '@/lib/paths';

export function NotFoundRoute() {
  return (
    <section>
      <h1>Page not found</h1>
      <Link to={paths.home()}>Back to the store</Link>
    </section>
  );
}
