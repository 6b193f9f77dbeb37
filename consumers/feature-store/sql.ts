import type { PoolConnection } from 'mysql2/promise';

export type Conn = PoolConnection;

/**
 * `col = IF(VALUES(src_pos) >= src_pos, VALUES(col), col)` for each column, src_pos last:
 * MySQL applies ON DUPLICATE KEY assignments left to right, so the guard must read the old position.
 */
export function guardedUpdate(columns: string[], special: Record<string, string> = {}): string {
  const guard = 'VALUES(src_pos) >= src_pos';
  const sets = columns.map((c) => `${c} = ${special[c] ?? `IF(${guard}, VALUES(${c}), ${c})`}`);
  return [...sets, `src_pos = IF(${guard}, VALUES(src_pos), src_pos)`].join(',\n  ');
}

/** Runs `fn` over `ids` in chunks, so IN lists stay bounded. */
export async function inChunks<T, R>(ids: T[], size: number, fn: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < ids.length; i += size) out.push(...(await fn(ids.slice(i, i + size))));
  return out;
}

export async function rows<T>(conn: Conn, sql: string, params: unknown[]): Promise<T[]> {
  const [r] = await conn.query(sql, params);
  return r as T[];
}
