package io.granary.core.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One outbox entry: a body to POST to webhooks of its owner.
 *
 * @param event the event it announces, or null for the confirmation sent to one webhook on registration
 * @param body  the exact JSON text that is sent and signed; never holds secrets
 */
public record Alert(UUID id, UUID ownerId, AlertEvent event, String body, Instant createdAt) {
}
