import { ValidationError } from '../../core/errors.ts';
import { recommendationSchema, type Recommendation } from '../../streams/recommendations/recommendation.ts';
import type { InboundMessage } from '../feature-store/inbound.ts';

/** A decoded message: a recommendation to upsert, or a tombstone deleting the shopper's row. */
export type Change = { kind: 'upsert'; userId: number; value: Recommendation } | { kind: 'delete'; userId: number };

/** Throws ValidationError for anything that is not a well-formed recommendations.v1 record. */
export function decodeRecommendation(msg: InboundMessage): Change {
  const key = msg.key?.toString('utf8') ?? '';
  if (!/^[1-9]\d{0,9}$/.test(key))
    throw new ValidationError(`key is not a user id: ${JSON.stringify(key.slice(0, 40))}`);
  const userId = Number(key);
  if (msg.value === null) return { kind: 'delete', userId };
  let json: unknown;
  try {
    json = JSON.parse(msg.value.toString('utf8'));
  } catch (cause) {
    throw new ValidationError('value is not JSON', { cause });
  }
  const parsed = recommendationSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.');
    throw new ValidationError(`${path || 'value'}: ${issue.message}`, { cause: parsed.error, path });
  }
  if (parsed.data.userId !== userId) {
    throw new ValidationError(`key ${userId} does not match userId ${parsed.data.userId}`, { path: 'userId' });
  }
  return { kind: 'upsert', userId, value: parsed.data };
}

/**
 * What a chunk leaves per shopper: within one partition the log order is the write order, but the
 * newer-wins rule is by (sourceTs, producedAt), so keep the newest value, or the delete if it came last.
 */
export function latestPerUser(changes: Change[]): Change[] {
  const out = new Map<number, Change>();
  for (const c of changes) {
    const prev = out.get(c.userId);
    if (c.kind === 'delete' || !prev || prev.kind === 'delete' || isNewer(c.value, prev.value)) out.set(c.userId, c);
  }
  return [...out.values()];
}

export function isNewer(a: Recommendation, b: Recommendation): boolean {
  const as = Date.parse(a.sourceTs);
  const bs = Date.parse(b.sourceTs);
  return as !== bs ? as > bs : Date.parse(a.producedAt) > Date.parse(b.producedAt);
}
