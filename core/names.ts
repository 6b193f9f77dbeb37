import { ValidationError } from './errors.ts';

/**
 * Names that end up in SQL identifiers or file paths (a database, a model version): letters,
 * digits, `_` and `-` only, so none can close a backquote or climb out of a directory.
 */
const SAFE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function checkName(value: string, what: string): string {
  if (!SAFE_NAME.test(value))
    throw new ValidationError(`${what} must be 1 to 64 letters, digits, _ or -; got ${JSON.stringify(value)}`, {
      path: what,
    });
  return value;
}
