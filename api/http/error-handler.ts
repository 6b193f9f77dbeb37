import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, NotFoundError, TransientError, ValidationError, isRetriable } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { problem, sendProblem, type Problem } from './problem.ts';
import { RequestValidationError } from './validation.ts';

/** How long a client should wait before retrying a 503 (the database or broker is briefly away). */
export const RETRY_AFTER_S = 5;

/** Prisma's own errors for an unreachable or exhausted database: as transient as ECONNREFUSED. */
const PRISMA_UNAVAILABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);

function unavailable(err: unknown): boolean {
  if (isRetriable(err)) return true;
  const e = err as { name?: unknown; code?: unknown; message?: unknown };
  if (typeof e?.name === 'string' && e.name.startsWith('PrismaClient')) {
    if (typeof e.code === 'string' && PRISMA_UNAVAILABLE.has(e.code)) return true;
    if (e.name === 'PrismaClientInitializationError') return true;
    // The driver adapter reports a refused or lost connection only in its message.
    return typeof e.message === 'string' && /pool timeout|connect|ECONNREFUSED|closed/i.test(e.message);
  }
  return false;
}

/** Maps the project's error tree (and Hono's own HTTPExceptions) to a problem and its headers. */
export function toProblem(err: unknown): { problem: Problem; headers: Record<string, string> } {
  if (err instanceof ValidationError) {
    const errors =
      err instanceof RequestValidationError
        ? err.issues
        : err.path
          ? [{ path: err.path, message: err.message }]
          : undefined;
    return { problem: problem(400, { detail: err.message, errors }), headers: {} };
  }
  if (err instanceof NotFoundError) return { problem: problem(404, { detail: err.message }), headers: {} };
  if (err instanceof HTTPException) {
    const headers: Record<string, string> = {};
    const auth = err.res?.headers.get('www-authenticate');
    if (auth) headers['www-authenticate'] = auth;
    return { problem: problem(err.status, { detail: err.message || undefined }), headers };
  }
  if (err instanceof TransientError || unavailable(err)) {
    return {
      problem: problem(503, { detail: 'a dependency is briefly unavailable; retry shortly' }),
      headers: { 'retry-after': String(RETRY_AFTER_S) },
    };
  }
  const detail = err instanceof AppError ? err.message : 'unexpected error';
  return { problem: problem(500, { detail }), headers: {} };
}

/** The app's one onError: every failure leaves as problem+json; only 5xx are logged as errors. */
export function createErrorHandler(logger: Logger): ErrorHandler {
  return (err: Error, c: Context) => {
    const { problem: p, headers } = toProblem(err);
    if (p.status >= 500) logger.error('request failed', { err, method: c.req.method, path: c.req.path });
    return sendProblem(c, p, headers);
  };
}
