import { z } from 'zod';
import type { CatalogEntry } from '../catalog.ts';

/** A channel/message id: the topic name with dots replaced (AsyncAPI ids are used in $refs). */
const idOf = (topic: string) => topic.replace(/[^\w-]/g, '-');

/**
 * JSON Schema (draft-07) of the value as it is on the wire: zod's input side, since the
 * schemas' transforms (decimal strings, epoch ms) run in the reader, not in the message.
 */
function payloadSchema(e: CatalogEntry): Record<string, unknown> {
  const { $schema: _drop, ...schema } = z.toJSONSchema(e.payload, {
    io: 'input',
    target: 'draft-07',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return e.tombstone ? { anyOf: [schema, { type: 'null', description: `tombstone: ${e.tombstone}` }] } : schema;
}

function message(e: CatalogEntry) {
  return {
    name: idOf(e.def.name),
    title: e.def.name,
    summary: e.def.description,
    description: `Written by ${e.producer}. Key: ${e.key}.${e.tombstone ? ` A null value (tombstone): ${e.tombstone}.` : ''}`,
    contentType: 'application/json',
    payload: { schemaFormat: 'application/schema+json;version=draft-07', schema: payloadSchema(e) },
    bindings: { kafka: { key: { type: 'string', description: e.key }, bindingVersion: '0.5.0' } },
  };
}

export interface AsyncApiOptions {
  version: string;
  broker: string;
}

/** The AsyncAPI 3.0 document for every catalogued topic: one channel, message and receive operation each. */
export function buildAsyncApi(entries: readonly CatalogEntry[], opts: AsyncApiOptions): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const e of entries) {
    const id = idOf(e.def.name);
    messages[id] = message(e);
    channels[id] = {
      address: e.def.name,
      title: e.def.name,
      description: e.def.description,
      messages: { [id]: { $ref: `#/components/messages/${id}` } },
      bindings: {
        kafka: {
          topic: e.def.name,
          topicConfiguration: { 'cleanup.policy': [e.def.cleanupPolicy] },
          bindingVersion: '0.5.0',
        },
      },
    };
    operations[`read-${id}`] = {
      action: 'receive',
      title: `Read ${e.def.name}`,
      channel: { $ref: `#/channels/${id}` },
      messages: [{ $ref: `#/channels/${id}/messages/${id}` }],
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'shop-reco topics',
      version: opts.version,
      description:
        'Every Kafka topic of shop-reco, generated from the zod schemas in streams/ (npm run streams -- asyncapi). Values are JSON; schemas only gain optional fields, a breaking change is a new .vN topic.',
    },
    defaultContentType: 'application/json',
    servers: { local: { host: opts.broker, protocol: 'kafka', description: 'the local stack (npm start)' } },
    channels,
    operations,
    components: { messages },
  };
}
