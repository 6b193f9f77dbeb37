import type { SourcePosition } from '../../streams/cdc/envelope.ts';
import type { Logger } from '../../core/logger.ts';
import type { InboundMessage } from './inbound.ts';
import { epochOfKey, positionKey } from './position.ts';

export type Regression = 'epoch' | 'position';

interface Seen {
  offset: bigint;
  key: string;
  maxTsMs: number;
}

/**
 * Watches each partition's binlog positions in offset order. Within one source epoch they only
 * grow, except when Debezium re-sends what it had sent (after a Connect crash), and then the
 * repeated events are no newer than what came before. An event at a lower position that is newer
 * than everything seen means the binlog restarted without a new epoch (a restore or `RESET
 * MASTER` done by hand): its changes lose to the stored rows' higher positions, so it is said
 * loudly rather than ignored silently. An older epoch after a newer one is said likewise.
 */
export function createPositionWatch(deps: { logger: Logger; onRegression: (topic: string, kind: Regression) => void }) {
  const seen = new Map<string, Seen>();
  return (msg: InboundMessage, source: SourcePosition): void => {
    let key: string;
    try {
      key = positionKey(source);
    } catch {
      return; // rejected with its reason when applied
    }
    const at = `${msg.topic}/${msg.partition}`;
    const offset = BigInt(msg.offset);
    const ts = source.ts.getTime();
    const last = seen.get(at);
    if (last && offset <= last.offset) return; // the same range again (a retried or redelivered chunk)
    if (!last || key >= last.key) {
      const sameEpoch = last !== undefined && epochOfKey(key) === epochOfKey(last.key);
      seen.set(at, { offset, key, maxTsMs: sameEpoch ? Math.max(ts, last.maxTsMs) : ts });
      return;
    }
    last.offset = offset;
    const kind: Regression | null =
      epochOfKey(key) < epochOfKey(last.key) ? 'epoch' : ts > last.maxTsMs ? 'position' : null;
    if (!kind) return;
    last.maxTsMs = Math.max(last.maxTsMs, ts);
    deps.onRegression(msg.topic, kind);
    deps.logger.error(
      kind === 'epoch'
        ? 'source epoch went backwards: these changes are older than what the store holds and are ignored'
        : 'binlog position went backwards within a source epoch (restored or reset binlog without a new epoch?): newer changes are ignored',
      {
        topic: msg.topic,
        partition: msg.partition,
        offset: msg.offset,
        position: `${source.file}:${source.pos}:${source.row}`,
        previous: last.key,
        sourceTs: source.ts.toISOString(),
      },
    );
  };
}

export type PositionWatch = ReturnType<typeof createPositionWatch>;
