import type { z } from 'zod';
import type { TopicDef } from '../topic.ts';
import { fastRowFor } from './fast-rows.ts';
import { decodeChange, type ChangeEvent, type DecodeResult, type RawMessage } from './envelope.ts';

/** Decodes a message read from a CDC topic into that topic's typed change event. */
export function decodeFromTopic<S extends z.ZodType>(
  topic: TopicDef<S>,
  msg: RawMessage,
): DecodeResult<ChangeEvent<z.output<S>>> {
  return decodeChange(topic.schema, msg, fastRowFor<z.output<S>>(topic.schema));
}
