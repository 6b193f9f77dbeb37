import type { CommandContext } from '../../core/command.ts';
import { booleanFlag, stringFlag, type Flag, type ParsedArgs } from '../../core/args.ts';
import { createKafka } from '../../core/kafka.ts';
import type { ModelEvent } from '../../streams/models/model-event.ts';
import { createModelEventPublisher } from '../../model/registry/model-event-publisher.ts';

/** The flags of every verb that publishes on models.v1. */
export const PUBLISHING: Record<string, Flag> = {
  'no-publish': { type: 'boolean', note: 'change the registry only' },
  'models-topic': { type: 'string', value: 'T', note: 'default models.v1' },
};

/**
 * Publishes what a command decided on models.v1 (unless --no-publish), so running scorers and the
 * ops page learn of it without a restart. The registry on disk has already changed: if Kafka is
 * unreachable the error says so, and the command can be repeated.
 */
export async function publishModelEvents(args: ParsedArgs, ctx: CommandContext, events: ModelEvent[]): Promise<void> {
  if (booleanFlag(args, 'no-publish') || events.length === 0) return;
  const kafka = createKafka({ clientId: 'model-cli', brokers: ctx.config.kafka.brokers, retries: 3 });
  const publisher = createModelEventPublisher({ kafka, topic: stringFlag(args, 'models-topic') });
  try {
    await publisher.publish(events);
    for (const e of events) ctx.out(`models.v1: ${e.event} ${e.version} (${e.status})`);
  } finally {
    await publisher.close();
  }
}
