package io.granary.core.domain;

import java.net.URI;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * An API owner's registered receiver of alerts. Holds no secret on purpose: the signing secret lives sealed in
 * storage and reaches memory only inside a {@link WebhookDelivery}, so a webhook can be answered or logged freely.
 */
public record Webhook(UUID id, UUID ownerId, String name, URI url, Set<AlertEvent> events, Instant createdAt) {

    public Webhook {
        events = Set.copyOf(events);
    }
}
