import { userFeaturesSchema, type UserFeatures } from '../../streams/features/user-features.ts';
import type { Rejection } from '../shared/dlq.ts';
import type { InboundMessage } from '../shared/inbound-message.ts';

export type FeatureChange =
  | { kind: 'features'; userId: number; features: UserFeatures }
  | { kind: 'tombstone'; userId: number }
  | { kind: 'rejected'; rejection: Rejection };

const reject = (msg: InboundMessage, reason: string, errorClass: string): FeatureChange => ({
  kind: 'rejected',
  rejection: { msg, reason, errorClass },
});

/** One features.user.v1 message: the shopper's features, a tombstone (deleted shopper), or why it is unusable. */
export function decodeFeatureMessage(msg: InboundMessage): FeatureChange {
  const keyText = msg.key?.toString('utf8') ?? '';
  const keyId = /^\d+$/.test(keyText) ? Number(keyText) : NaN;
  if (!msg.value) {
    if (!Number.isSafeInteger(keyId) || keyId <= 0)
      return reject(msg, `tombstone without a user id key: "${keyText}"`, 'ValidationError');
    return { kind: 'tombstone', userId: keyId };
  }
  let json: unknown;
  try {
    json = JSON.parse(msg.value.toString('utf8'));
  } catch (err) {
    return reject(msg, `not JSON: ${(err as Error).message}`, 'SyntaxError');
  }
  const parsed = userFeaturesSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    return reject(msg, `value.${first.path.join('.')}: ${first.message}`, 'ValidationError');
  }
  if (keyId !== parsed.data.userId)
    return reject(msg, `key "${keyText}" does not match userId ${parsed.data.userId}`, 'ValidationError');
  return { kind: 'features', userId: keyId, features: parsed.data };
}
