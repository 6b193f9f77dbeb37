import { useCallback, useState } from 'react';
import { useOpsToken } from '../hooks/use-ops-token';
import { OpsDashboard } from './ops-dashboard';
import { TokenPrompt } from './token-prompt';
import './ops.css';

export function OpsPage() {
  const [token, setToken] = useOpsToken();
  const [rejected, setRejected] = useState(false);

  const onUnauthorized = useCallback(() => {
    setRejected(true);
    setToken(null);
  }, [setToken]);

  if (!token) {
    return (
      <TokenPrompt
        rejected={rejected}
        onSubmit={(next) => {
          setRejected(false);
          setToken(next);
        }}
      />
    );
  }
  return <OpsDashboard token={token} onUnauthorized={onUnauthorized} onSignOut={() => setToken(null)} />;
}
