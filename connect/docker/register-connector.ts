/**
 * docker-compose's one-shot `connector` service: registers connect/shop-cdc.mysql.json and exits 0
 * only once it runs, so `docker compose ps -a` shows a failed registration as a non-zero exit.
 */
import { join } from 'node:path';
import { createConnectClient, loadConnector } from '../connector.ts';
import { registerAndWait } from '../register.ts';

const root = join(import.meta.dirname, '..', '..');
const spec = loadConnector(root, process.env.CONNECTOR_FILE || 'shop-cdc.mysql.json');
const client = createConnectClient({ url: process.env.CONNECT_URL || 'http://connect:8083' });
try {
  await registerAndWait(client, spec, {
    timeoutMs: Number(process.env.REGISTER_TIMEOUT_MS || 180_000),
    log: console.log,
  });
} catch (err) {
  console.error(`registering ${spec.name} failed: ${(err as Error).message}`);
  process.exit(1);
}
