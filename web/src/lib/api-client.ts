import type { z } from 'zod';
import { problemSchema, type Problem } from './api-types';
import { env } from './env';

/** An HTTP error from the API, carrying its problem+json body when it sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null, fallback: string) {
    super(problem?.detail || problem?.title || fallback);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

/** The API answered, but not in the shape the contract promises. */
export class ContractError extends Error {
  constructor(path: string, issues: string) {
    super(`Unexpected response from ${path}: ${issues}`);
    this.name = 'ContractError';
  }
}

export type RequestOptions<T> = {
  schema: z.ZodType<T>;
  method?: 'GET' | 'POST';
  body?: unknown;
  token?: string | null;
  signal?: AbortSignal;
  keepalive?: boolean;
};

async function readProblem(response: Response): Promise<Problem | null> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return null;
  try {
    const parsed = problemSchema.safeParse(await response.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function buildHeaders(body: unknown, token?: string | null): Headers {
  const headers = new Headers({ Accept: 'application/json' });
  if (body !== undefined) headers.set('Content-Type', 'application/json');
  if (token) headers.set('Authorization', `Bearer ${token}`);
  return headers;
}

export function apiUrl(path: string): string {
  return `${env.apiUrl}${path}`;
}

export async function apiRequest<T>(path: string, options: RequestOptions<T>): Promise<T> {
  const { schema, method = 'GET', body, token, signal, keepalive } = options;
  const response = await fetch(apiUrl(path), {
    method,
    headers: buildHeaders(body, token),
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
    keepalive,
  });
  if (!response.ok) {
    const problem = await readProblem(response);
    throw new ApiError(response.status, problem, `${method} ${path} failed with HTTP ${response.status}`);
  }
  return parseBody(path, schema, response.status === 204 ? null : await response.json());
}

export function parseBody<T>(path: string, schema: z.ZodType<T>, data: unknown): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ContractError(path, issues);
  }
  return parsed.data;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}
