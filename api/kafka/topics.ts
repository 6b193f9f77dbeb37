import type { ITopicConfig } from 'kafkajs';
import { jobsTopic } from '../../streams/control/job-event.ts';
import { recommendationsTopic, shadowRecommendationsTopic } from '../../streams/recommendations/recommendation.ts';
import { storefrontEventsTopic } from '../../streams/storefront/storefront-event.ts';
import type { HttpConfig } from '../config.ts';

/**
 * The topics the API reads or writes, created if missing with their contracts' cleanup policies,
 * so the API may start before the scorer or the scheduler ever wrote to them.
 */
export function apiTopics(topics: HttpConfig['topics'], partitions = 3): ITopicConfig[] {
  const def = (topic: string, policy: 'compact' | 'delete') => ({
    topic,
    numPartitions: partitions,
    configEntries: [{ name: 'cleanup.policy', value: policy }],
  });
  return [
    def(topics.recommendations, recommendationsTopic.cleanupPolicy),
    def(topics.shadowRecommendations, shadowRecommendationsTopic.cleanupPolicy),
    def(topics.storefrontEvents, storefrontEventsTopic.cleanupPolicy),
    def(topics.jobs, jobsTopic.cleanupPolicy),
  ];
}
