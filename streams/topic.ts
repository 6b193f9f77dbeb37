import type { z } from 'zod';

/**
 * A topic is defined once: its name, the schema of its values and how a value is keyed.
 * Schemas only gain optional fields; a breaking change is a new `.v2` topic.
 */
export interface TopicDef<S extends z.ZodType> {
  name: string;
  schema: S;
  key: (value: z.output<S>) => string;
  /** compact: keep the latest value per key (state topics); delete: keep history (event topics). */
  cleanupPolicy: 'compact' | 'delete';
  description: string;
}

export function defineTopic<S extends z.ZodType>(def: TopicDef<S>): TopicDef<S> {
  return def;
}

/** Where a message that could not be decoded or applied goes, with its original bytes and the reason. */
export const dlqTopicName = (topic: string) => `${topic}.dlq`;
