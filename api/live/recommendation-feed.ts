import type { KafkaMessage } from 'kafkajs';
import { recommendationSchema, type Recommendation } from '../../streams/recommendations/recommendation.ts';

export interface RecommendationHandlers {
  onValue(rec: Recommendation): void;
  onTombstone(userId: number): void;
}

/** Decodes one recommendations.v1 record (key: user id; null value: shopper deleted). */
export function handleRecommendationMessage(message: KafkaMessage, handlers: RecommendationHandlers): void {
  if (message.value === null) {
    const userId = Number(message.key?.toString());
    if (Number.isInteger(userId) && userId > 0) handlers.onTombstone(userId);
    return;
  }
  handlers.onValue(recommendationSchema.parse(JSON.parse(message.value.toString('utf8'))));
}
