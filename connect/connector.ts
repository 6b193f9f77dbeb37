import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, NotFoundError, TransientError, ValidationError } from '../core/errors.ts';

/** A connector as Kafka Connect's REST API takes it. Secrets stay `${env:...}` references. */
export interface ConnectorSpec {
  name: string;
  config: Record<string, string>;
}

export function loadConnector(root: string, file = 'shop-cdc.json'): ConnectorSpec {
  const spec = JSON.parse(readFileSync(join(root, 'connect', file), 'utf8')) as ConnectorSpec;
  if (!spec.name || typeof spec.config !== 'object') throw new ValidationError(`connect/${file} needs name and config`);
  return spec;
}

export interface ScenarioOverrides {
  name: string;
  database: string;
  topicPrefix: string;
  /** Each binlog reader needs its own server id against the same database server. */
  serverId: number;
}

/** The same connector pointed at another database and topic prefix (tests, second shops). */
export function forScenario(base: ConnectorSpec, o: ScenarioOverrides): ConnectorSpec {
  const baseDb = base.config['database.include.list'] ?? 'shop';
  const tables = (base.config['table.include.list'] ?? '').replace(new RegExp(`^${baseDb}\\\\`), `${o.database}\\`);
  return {
    name: o.name,
    config: {
      ...base.config,
      'database.include.list': o.database,
      'table.include.list': tables,
      'topic.prefix': o.topicPrefix,
      'database.server.id': String(o.serverId),
      'schema.history.internal.kafka.topic': `_schema-history.${o.name}`,
    },
  };
}

export interface ConnectorStatus {
  name: string;
  connector: { state: string; trace?: string };
  tasks: { id: number; state: string; trace?: string }[];
}

export interface ConnectClient {
  put(spec: ConnectorSpec): Promise<void>;
  status(name: string): Promise<ConnectorStatus>;
  list(): Promise<string[]>;
  remove(name: string): Promise<void>;
  restart(name: string): Promise<void>;
  /** Stops the connector and its tasks, keeping its config (KIP-875; its offsets can then be reset). */
  stop(name: string): Promise<void>;
  resume(name: string): Promise<void>;
  /** Forgets the source offsets of a STOPPED connector: on resume it starts as if new. */
  resetOffsets(name: string): Promise<void>;
}

/**
 * A thin client for the Connect REST API; transport failures and timeouts (a worker that accepts
 * the connection but never answers, default 30 s for the whole exchange) are transient, 4xx are not.
 */
export function createConnectClient(deps: { url: string; fetch?: typeof fetch; timeoutMs?: number }): ConnectClient {
  const f = deps.fetch ?? fetch;
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    let res: Response, text: string;
    try {
      res = await f(`${deps.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(deps.timeoutMs ?? 30_000),
      });
      text = await res.text();
    } catch (cause) {
      throw new TransientError(`Kafka Connect at ${deps.url} unreachable or not answering`, { cause });
    }
    if (res.status === 404) throw new NotFoundError(`${method} ${path}: ${text}`);
    if (res.status === 409 || res.status >= 500) throw new TransientError(`${method} ${path}: ${res.status} ${text}`);
    if (res.status >= 400) throw new ValidationError(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    put: async (spec) => {
      await call('PUT', `/connectors/${encodeURIComponent(spec.name)}/config`, spec.config);
    },
    status: async (name) => (await call('GET', `/connectors/${encodeURIComponent(name)}/status`)) as ConnectorStatus,
    list: async () => (await call('GET', '/connectors')) as string[],
    remove: async (name) => {
      await call('DELETE', `/connectors/${encodeURIComponent(name)}`);
    },
    restart: async (name) => {
      await call('POST', `/connectors/${encodeURIComponent(name)}/restart?includeTasks=true&onlyFailed=true`);
    },
    stop: async (name) => void (await call('PUT', `/connectors/${encodeURIComponent(name)}/stop`)),
    resume: async (name) => void (await call('PUT', `/connectors/${encodeURIComponent(name)}/resume`)),
    resetOffsets: async (name) => void (await call('DELETE', `/connectors/${encodeURIComponent(name)}/offsets`)),
  };
}

/** RUNNING with every task RUNNING; a FAILED task is an error with its Java trace as the cause. */
export function isRunning(status: ConnectorStatus): boolean {
  const failed = status.tasks.find((t) => t.state === 'FAILED');
  if (status.connector.state === 'FAILED' || failed) {
    const trace = failed?.trace ?? status.connector.trace ?? '';
    throw new AppError(`connector ${status.name} failed: ${trace.split('\n')[0]}`, { cause: new Error(trace) });
  }
  return (
    status.connector.state === 'RUNNING' && status.tasks.length > 0 && status.tasks.every((t) => t.state === 'RUNNING')
  );
}
