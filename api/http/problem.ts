import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** RFC 9457 problem details: the one error body every endpoint answers with. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Which inputs were wrong, for 400s: `query.user_id`, `body.items.0.quantity`. */
  errors?: { path: string; message: string }[];
  request_id?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function problem(status: number, fields: Omit<Partial<Problem>, 'status'> = {}): Problem {
  return {
    type: fields.type ?? 'about:blank',
    title: fields.title ?? TITLES[status] ?? 'Error',
    status,
    ...(fields.detail !== undefined ? { detail: fields.detail } : {}),
    ...(fields.instance !== undefined ? { instance: fields.instance } : {}),
    ...(fields.errors !== undefined ? { errors: fields.errors } : {}),
    ...(fields.request_id !== undefined ? { request_id: fields.request_id } : {}),
  };
}

/** Writes a problem as the response, with the request path as `instance` and the request id when there is one. */
export function sendProblem(c: Context, p: Problem, headers: Record<string, string> = {}): Response {
  const requestId = (c.get as (k: string) => unknown)('requestId');
  const body: Problem = {
    ...p,
    instance: p.instance ?? c.req.path,
    ...(typeof requestId === 'string' ? { request_id: requestId } : {}),
  };
  return c.body(JSON.stringify(body), p.status as ContentfulStatusCode, {
    'content-type': PROBLEM_CONTENT_TYPE,
    ...headers,
  });
}
