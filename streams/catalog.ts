import { z } from 'zod';
import { cdcTopics, SHOP_CDC } from './cdc/topics.ts';
import { jobsTopic } from './control/job-event.ts';
import { userFeaturesTopic } from './features/user-features.ts';
import { modelsTopic } from './models/model-event.ts';
import { recommendationsTopic, shadowRecommendationsTopic } from './recommendations/recommendation.ts';
import { storefrontEventsTopic } from './storefront/storefront-event.ts';
import type { TopicDef } from './topic.ts';

/** One topic as analysts see it: its definition, what its value is on the wire, and its key. */
export interface CatalogEntry {
  def: TopicDef<z.ZodType>;
  /** The JSON value as written (for CDC topics: Debezium's envelope around the row). */
  payload: z.ZodType;
  /** What the message key holds. */
  key: string;
  /** What a null value (tombstone) means, when the topic has them. */
  tombstone?: string;
  /** Who writes it. */
  producer: string;
}

/** Debezium's envelope (JsonConverter, schemas off) around one table's row, as it is on the topic. */
function debeziumEnvelope(row: z.ZodType) {
  return z.object({
    before: row.nullable().describe('the row before the change (updates and deletes)'),
    after: row.nullable().describe('the row after the change (creates, snapshot reads, updates)'),
    source: z.object({
      ts_ms: z.number().int().describe('commit time at the database, epoch ms'),
      db: z.string(),
      table: z.string(),
      file: z.string().describe('binlog file'),
      pos: z.number().int().describe('binlog position'),
      row: z.number().int(),
      gtid: z.string().nullable().optional(),
      snapshot: z.union([z.string(), z.boolean()]).optional(),
    }),
    op: z.enum(['c', 'u', 'd', 'r']).describe('create, update, delete, snapshot read'),
    ts_ms: z.number().int().describe('when Debezium emitted the event, epoch ms'),
  });
}

const byUser = 'the user id as a decimal string, e.g. "42"';

/**
 * Every topic the system defines, in one list: the AsyncAPI document is generated from it, and a
 * topic missing here is missing for analysts.
 */
export function topicCatalog(): CatalogEntry[] {
  const cdc = Object.values(cdcTopics(SHOP_CDC)).map((def): CatalogEntry => ({
    def,
    payload: debeziumEnvelope(def.schema),
    key: 'Debezium\'s key: the primary key as JSON, {"id": N}',
    tombstone: 'follows a delete, so compaction can drop the key',
    producer: 'Debezium (Kafka Connect connector shop-cdc)',
  }));
  return [
    ...cdc,
    {
      def: userFeaturesTopic,
      payload: userFeaturesTopic.schema,
      key: byUser,
      tombstone: 'the shopper was deleted',
      producer: 'feature store (consumers/feature-store)',
    },
    {
      def: recommendationsTopic,
      payload: recommendationsTopic.schema,
      key: byUser,
      tombstone: 'the shopper was deleted',
      producer: 'scorer (consumers/scoring)',
    },
    {
      def: shadowRecommendationsTopic,
      payload: shadowRecommendationsTopic.schema,
      key: byUser,
      producer: 'scorer, for the model in shadow mode',
    },
    {
      def: modelsTopic,
      payload: modelsTopic.schema,
      key: 'the model version, or "champion" for the current champion',
      producer: 'trainer (consumers/trainer) and `npm run model -- promote|rollback|shadow`',
    },
    {
      def: jobsTopic,
      payload: jobsTopic.schema,
      key: '<runId>:<status>[:<worker>]',
      producer: 'scheduler and commands (requested); scorers and the trainer (status)',
    },
    {
      def: storefrontEventsTopic,
      payload: storefrontEventsTopic.schema,
      key: byUser,
      producer: 'API, from the storefront',
    },
  ];
}
