package dev.penchant.api.events;

import java.time.OffsetDateTime;

/**
 * A parsed, valid batch in column form, as the ingest statement's unnest() wants it. Events with an
 * eventId seen earlier in the same batch are already dropped: {@link #received} counts them,
 * {@link #size} does not; receivedByType counts them all by event type.
 */
public record EventBatch(int received, int size, java.util.Map<String, Integer> receivedByType, String[] eventIds, String[] userIds, String[] itemIds,
                         String[] types, Double[] values, OffsetDateTime[] timestamps, String[] contexts,
                         java.util.UUID[] recommendationIds) {
}
