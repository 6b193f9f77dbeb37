import { Partitioners } from 'kafkajs';

/**
 * The partition a user id's key lands on in a topic of n partitions, computed by kafkajs' own
 * default (Java-compatible murmur2) partitioner, the one the feature store publishes with: the
 * sweep's split then matches the live consumer's partition assignment exactly.
 */
export function createPartitionOf(numPartitions: number): (userId: number) => number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: numPartitions }, (_, i) => ({
    partitionId: i,
    leader: 0,
    replicas: [0],
    isr: [0],
    partitionErrorCode: 0,
  }));
  return (userId) => partitioner({ topic: '', partitionMetadata, message: { key: String(userId), value: null } });
}
