import { useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api-client';
import { useUser } from '../api/get-user';
import { useUsers } from '../api/get-users';
import { parseUserId } from '../hooks/use-shopper-id';
import './shopper-switcher.css';

type ShopperSwitcherProps = { userId: number; onChange: (userId: number) => void };

function Nickname({ userId }: { userId: number }) {
  const user = useUser(userId);
  let text = '…';
  if (user.data) text = user.data.nickname;
  else if (user.error instanceof ApiError && user.error.status === 404) text = `new shopper #${userId}`;
  else if (user.isError) text = `shopper #${userId}`;
  return (
    <span className="shopper-switcher__nickname" data-testid="shopper-nickname" aria-live="polite">
      {text}
    </span>
  );
}

export function ShopperSwitcher({ userId, onChange }: ShopperSwitcherProps) {
  const users = useUsers();
  const [draft, setDraft] = useState('');
  const [invalid, setInvalid] = useState(false);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const next = parseUserId(draft);
    setInvalid(next === null);
    if (next !== null) {
      onChange(next);
      setDraft('');
    }
  };

  return (
    <div className="shopper-switcher" data-testid="shopper-switcher">
      <span className="shopper-switcher__current">
        Shopping as <Nickname userId={userId} /> <span className="shopper-switcher__id">#{userId}</span>
      </span>
      <select
        className="shopper-switcher__select"
        aria-label="Pick a shopper"
        value=""
        onChange={(event) => {
          const next = parseUserId(event.target.value);
          if (next !== null) onChange(next);
        }}
      >
        <option value="">{users.isError ? 'Shopper list unavailable' : 'Pick a shopper…'}</option>
        {users.data?.items.map((user) => (
          <option key={user.user_id} value={user.user_id}>
            #{user.user_id} {user.nickname}
          </option>
        ))}
      </select>
      <form className="shopper-switcher__form" onSubmit={onSubmit}>
        <input
          className="shopper-switcher__input"
          aria-label="Shopper id"
          aria-invalid={invalid || undefined}
          inputMode="numeric"
          placeholder="id"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit" className="button button--small">
          Switch
        </button>
      </form>
    </div>
  );
}
