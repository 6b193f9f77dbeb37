/** Heartbeat failures that mean the group moved on: this member must leave eachBatch and rejoin. */
const REJOIN_TYPES = new Set([
  'REBALANCE_IN_PROGRESS',
  'UNKNOWN_MEMBER_ID',
  'ILLEGAL_GENERATION',
  'FENCED_INSTANCE_ID',
]);

export interface HeartbeatGuard {
  /** For retry's onWait: heartbeats, and remembers a failure that calls for a rejoin instead of throwing. */
  onWait(): Promise<void>;
  /** The failure that calls for a rejoin, once one happened. */
  lost(): Error | undefined;
}

/**
 * Heartbeats between retries during an outage without swallowing what they say: a member that
 * missed a rebalance stops retrying (keepGoing turns false) and rethrows this error to kafkajs,
 * which rejoins the group, instead of retrying on partitions it no longer owns.
 */
export function guardHeartbeat(heartbeat: () => Promise<void>): HeartbeatGuard {
  let lost: Error | undefined;
  return {
    async onWait() {
      try {
        await heartbeat();
      } catch (err) {
        const type = (err as { type?: unknown }).type;
        if (typeof type === 'string' && REJOIN_TYPES.has(type)) lost ??= err as Error;
        else throw err;
      }
    },
    lost: () => lost,
  };
}
