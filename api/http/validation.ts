import type { ZodError } from 'zod';
import { ValidationError } from '../../core/errors.ts';

/** A request that failed its route's schema; every wrong field is listed, the first one is `path`. */
export class RequestValidationError extends ValidationError {
  readonly issues: { path: string; message: string }[];
  constructor(issues: { path: string; message: string }[]) {
    const first = issues[0] ?? { path: 'request', message: 'invalid request' };
    super(`${first.path}: ${first.message}`, { path: first.path });
    this.issues = issues;
  }
}

const TARGET_NAMES: Record<string, string> = { json: 'body', param: 'path', query: 'query', header: 'header' };

/** Zod's issues as field paths a client can act on: `query.user_id`, `body.items.0.quantity`. */
export function requestValidationError(error: ZodError, target: string): RequestValidationError {
  const prefix = TARGET_NAMES[target] ?? target;
  const issues = error.issues.flatMap((i) => {
    const base = [prefix, ...i.path.map(String)].join('.');
    // An unknown key is named itself, not its parent object.
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((k) => ({ path: `${base}.${k}`, message: 'unknown parameter' }));
    }
    return [{ path: base, message: i.message }];
  });
  return new RequestValidationError(issues);
}

/** The OpenAPIHono defaultHook: a failed validation becomes the error tree's ValidationError (→ 400). */
export function validationHook(result: { success: boolean; error?: ZodError; target: string }): void {
  if (!result.success && result.error) throw requestValidationError(result.error, result.target);
}
