import { useCallback, useEffect } from 'react';
import { useSearchParams } from 'react-router';

const STORAGE_KEY = 'shop-reco.user';
const DEFAULT_USER_ID = 1;
// Matches the API's own bound, so a typo cannot produce a request the API rejects.
const MAX_USER_ID = 2_147_483_647;

export function parseUserId(value: string | null | undefined): number | null {
  if (!value || !/^\d+$/.test(value.trim())) return null;
  const id = Number(value.trim());
  return id >= 1 && id <= MAX_USER_ID ? id : null;
}

function readStored(): number | null {
  try {
    return parseUserId(window.localStorage.getItem(STORAGE_KEY));
  } catch {
    return null;
  }
}

function store(userId: number): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, String(userId));
  } catch {
    // Private mode may refuse storage; the URL still carries the choice.
  }
}

/** The current shopper: `?user=N` wins, then the last choice in localStorage, then shopper 1. */
export function useShopperId(): [number, (userId: number) => void] {
  const [searchParams, setSearchParams] = useSearchParams();
  const fromUrl = parseUserId(searchParams.get('user'));
  const userId = fromUrl ?? readStored() ?? DEFAULT_USER_ID;

  useEffect(() => {
    store(userId);
    if (fromUrl === null) {
      setSearchParams(
        (params) => {
          params.set('user', String(userId));
          return params;
        },
        { replace: true },
      );
    }
  }, [userId, fromUrl, setSearchParams]);

  const setUserId = useCallback(
    (next: number) => {
      setSearchParams((params) => {
        params.set('user', String(next));
        return params;
      });
    },
    [setSearchParams],
  );

  return [userId, setUserId];
}
