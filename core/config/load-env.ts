import type { z } from 'zod';
import { ValidationError } from '../errors.ts';

/** Parses the environment against one process's schema; every bad variable is named in one error. */
export function loadEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv, what: string): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ValidationError(`invalid environment for ${what}: ${detail}`, { cause: parsed.error });
  }
  return parsed.data;
}
