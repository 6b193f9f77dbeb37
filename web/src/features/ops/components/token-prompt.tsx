import { useState, type FormEvent } from 'react';

type TokenPromptProps = { onSubmit: (token: string) => void; rejected: boolean };

export function TokenPrompt({ onSubmit, rejected }: TokenPromptProps) {
  const [value, setValue] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim()) onSubmit(value.trim());
  };
  return (
    <form className="ops-token" onSubmit={submit} data-testid="ops-token-prompt">
      <h1>Ops</h1>
      {rejected && (
        <p className="ops-token__error" role="alert">
          The token was rejected (401). Enter it again.
        </p>
      )}
      <label className="ops-token__label">
        Ops token
        <input
          type="password"
          autoComplete="off"
          value={value}
          onChange={(event) => setValue(event.target.value)}
          required
        />
      </label>
      <button type="submit" className="button button--primary">
        Open ops page
      </button>
    </form>
  );
}
