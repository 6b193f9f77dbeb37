import { useCallback, useState } from 'react';

const STORAGE_KEY = 'shop-reco.ops-token';

function read(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The ops bearer token lives in sessionStorage so it is asked once per tab and gone when the tab closes. */
export function useOpsToken(): [string | null, (token: string | null) => void] {
  const [token, setTokenState] = useState<string | null>(read);
  const setToken = useCallback((next: string | null) => {
    try {
      if (next) window.sessionStorage.setItem(STORAGE_KEY, next);
      else window.sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // Without storage the token still lives for this page view.
    }
    setTokenState(next);
  }, []);
  return [token, setToken];
}
