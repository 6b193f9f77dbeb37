import { describe, expect, it } from 'vitest';
import { sampleRecommendation } from '../../e2e/fixtures/recommendations.ts';
import type { Recommendation } from '../../streams/recommendations/recommendation.ts';
import type { InboundMessage } from '../feature-store/inbound.ts';
import { decodeRecommendation, latestPerUser } from './decode.ts';

const msg = (key: string | null, value: unknown): InboundMessage => ({
  topic: 'recommendations.v1',
  partition: 0,
  offset: '0',
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  headers: {},
});

describe('decoding recommendations.v1', () => {
  it('accepts a well-formed value and a tombstone', () => {
    const r = sampleRecommendation(5, '2026-11-29T10:00:00.000Z');
    expect(decodeRecommendation(msg('5', r))).toEqual({ kind: 'upsert', userId: 5, value: r });
    expect(decodeRecommendation(msg('5', null))).toEqual({ kind: 'delete', userId: 5 });
  });

  it('rejects with the reason: bad key, non-JSON, wrong shape, key/value mismatch', () => {
    const r = sampleRecommendation(5, '2026-11-29T10:00:00.000Z');
    expect(() => decodeRecommendation(msg('x', r))).toThrow(/key is not a user id/);
    expect(() => decodeRecommendation(msg('5', '{nope'))).toThrow(/not JSON/);
    expect(() => decodeRecommendation(msg('5', { ...r, products: 'all' }))).toThrow(/products/);
    expect(() => decodeRecommendation(msg('6', r))).toThrow(/does not match/);
  });

  it('keeps the newest value per shopper by sourceTs, then producedAt; a later tombstone wins', () => {
    const a = sampleRecommendation(1, '2026-11-29T10:00:01.000Z');
    const b = sampleRecommendation(1, '2026-11-29T10:00:00.000Z', '2026-11-29T10:00:09.000Z');
    const c = sampleRecommendation(2, '2026-11-29T10:00:00.000Z', '2026-11-29T10:00:01.000Z');
    const d = sampleRecommendation(2, '2026-11-29T10:00:00.000Z', '2026-11-29T10:00:02.000Z');
    const up = (v: Recommendation) => ({ kind: 'upsert' as const, userId: v.userId, value: v });
    expect(latestPerUser([up(a), up(b), up(d), up(c)])).toEqual([up(a), up(d)]);
    expect(latestPerUser([up(a), { kind: 'delete', userId: 1 }])).toEqual([{ kind: 'delete', userId: 1 }]);
  });
});
