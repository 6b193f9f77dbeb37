import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * `Authorization: Bearer <OPS_TOKEN>` or 401. Both sides are hashed first so the comparison is
 * constant-time whatever the lengths; a malformed header is a 401 too, never a hint.
 */
export function opsAuth(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m || !timingSafeEqual(digest(m[1]!), expected)) {
      throw new HTTPException(401, {
        message: 'the ops endpoints need Authorization: Bearer <OPS_TOKEN>',
        res: new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer realm="ops"' } }),
      });
    }
    await next();
  };
}
