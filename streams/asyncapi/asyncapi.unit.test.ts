import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser } from '@asyncapi/parser';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { topicCatalog } from '../catalog.ts';
import { recommendationsTopic } from '../recommendations/recommendation.ts';
import { ASYNCAPI_FILE, asyncApiDocument } from './document.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const checkedIn = async () => JSON.parse(await readFile(join(root, ASYNCAPI_FILE), 'utf8')) as Record<string, unknown>;

describe('the AsyncAPI document of the topics', () => {
  it('is valid AsyncAPI 3.0 with no errors from @asyncapi/parser', { timeout: 60_000 }, async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(await checkedIn()));
    const errors = diagnostics.filter((d) => d.severity === 0);
    expect(errors.map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    const addresses = document!
      .channels()
      .all()
      .map((c) => c.address());
    expect(addresses.sort()).toEqual(
      topicCatalog()
        .map((e) => e.def.name)
        .sort(),
    );
    expect(addresses).toEqual(
      expect.arrayContaining([
        'features.user.v1',
        'recommendations.v1',
        'recommendations.shadow.v1',
        'models.v1',
        'control.jobs.v1',
        'storefront.events.v1',
        'cdc.shop.orders',
      ]),
    );
  });

  it('is what the generator writes from the zod schemas today (npm run streams -- asyncapi)', async () => {
    expect(await checkedIn()).toEqual(asyncApiDocument());
  });

  it('describes the value on the wire: a real recommendation validates against its JSON Schema', async () => {
    const doc = asyncApiDocument() as { components: { messages: Record<string, { payload: { schema: object } }> } };
    const validate = new Ajv({ strict: false, validateFormats: false }).compile(
      doc.components.messages['recommendations-v1']!.payload.schema,
    );
    const rec = recommendationsTopic.schema.parse({
      recommendationId: '6f1c1f8e-8a55-4d3c-9d1e-0c6b7b0e2a11',
      userId: 42,
      modelVersion: 'wd-20261129-010203',
      trigger: 'order',
      runId: null,
      coldStart: false,
      categories: [{ categoryId: 3, name: 'Drinkware', score: 0.4, rank: 1, reasons: [{ code: 'c', text: 't' }] }],
      products: [{ productId: 9, categoryId: 3, title: 'Mug', price: 12, imageUrl: 'x' }],
      sourceTs: '2026-11-29T01:02:03.000Z',
      producedAt: '2026-11-29T01:02:03.200Z',
    });
    expect(validate(JSON.parse(JSON.stringify(rec)))).toBe(true);
    expect(validate({ ...rec, userId: 'forty-two' })).toBe(false);
    expect(validate(null)).toBe(true);
  });
});
