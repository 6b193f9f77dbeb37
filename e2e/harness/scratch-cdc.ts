import { randomInt } from 'node:crypto';
import { createConnectClient, forScenario, loadConnector } from '../../connect/connector.ts';
import { registerConnector } from '../../stack/connect.ts';
import { connectUrl, type StackSettings } from '../../stack/settings.ts';
import { cdcTopics, type CdcTopics } from '../../streams/cdc/topics.ts';
import { uniqueName } from './scratch-database.ts';

export interface TestCdc {
  name: string;
  topics: CdcTopics;
  stop(): Promise<void>;
}

/**
 * The project's own connector config (connect/shop-cdc.json) pointed at one test database,
 * with a fresh topic prefix, so every test reads only its own topics.
 */
export async function startScratchCdc(stack: StackSettings, database: string, topicPrefix?: string): Promise<TestCdc> {
  const name = uniqueName('cdc');
  // A given prefix: a second connector (fresh offsets: it snapshots again) onto the same topics.
  const prefix = topicPrefix ?? name.replace('_', '');
  const spec = forScenario(loadConnector(stack.root), {
    name,
    database,
    topicPrefix: prefix,
    serverId: randomInt(10_000, 2 ** 31),
  });
  await registerConnector(stack, spec, 90_000);
  return {
    name,
    topics: cdcTopics({ prefix, database }),
    stop: () => createConnectClient({ url: connectUrl(stack) }).remove(name),
  };
}
