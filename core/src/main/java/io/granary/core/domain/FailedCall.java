package io.granary.core.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One delivery attempt that did not get a 2xx answer.
 *
 * @param status          the HTTP status, or null if no answer came (see {@code connectionError})
 * @param response        the start of the receiver's answer body, truncated
 * @param connectionError why no answer came (timeout, refused, ...), or null
 */
public record FailedCall(UUID ownerId, UUID webhookId, Instant createdAt, String url, Integer status, String response,
                         String requestBody, String connectionError) {
}
