import { Outlet, useLocation } from 'react-router';
import { NavBar } from '@/components/layout/nav-bar';
import { RecommendationStream } from '@/features/recommendations/components/recommendation-stream';
import { ShopperSwitcher } from '@/features/shopper/components/shopper-switcher';
import { useShopperId } from '@/features/shopper/hooks/use-shopper-id';
import { paths } from '@/lib/paths';
import './app-layout.css';

function ShopperLayout() {
  const [userId, setUserId] = useShopperId();
  return (
    <>
      <NavBar
        homeTo={paths.home(userId)}
        links={[
          { to: paths.home(userId), label: 'Home' },
          { to: paths.ops(), label: 'Ops' },
        ]}
      >
        <ShopperSwitcher userId={userId} onChange={setUserId} />
      </NavBar>
      <RecommendationStream userId={userId} />
      <main className="page">
        <Outlet context={{ userId }} />
      </main>
    </>
  );
}

function OpsLayout() {
  return (
    <>
      <NavBar
        homeTo={paths.home()}
        links={[
          { to: paths.home(), label: 'Store' },
          { to: paths.ops(), label: 'Ops' },
        ]}
      />
      <main className="page">
        <Outlet />
      </main>
    </>
  );
}

// The ops page is for operators, not shoppers: no shopper in its URL and no recommendation stream.
export function AppLayout() {
  const location = useLocation();
  return location.pathname.startsWith(paths.ops()) ? <OpsLayout /> : <ShopperLayout />;
}
