import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

export type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

/**
 * The headers Hono's secureHeaders() sets with these options, read once from a probe request, so
 * the values stay Hono's while the per-request work is one object spread (see envelope.ts).
 * Only for options without per-request parts (no CSP nonce callbacks).
 */
export async function secureHeaderValues(options: SecureHeadersOptions): Promise<Record<string, string>> {
  const probe = new Hono().use(secureHeaders(options)).get('/', (c) => c.body(null, 204));
  const res = await probe.request('/');
  const out: Record<string, string> = {};
  for (const [k, v] of res.headers) out[k] = v;
  return out;
}
