package io.granary.core.domain;

import java.time.Instant;
import java.util.UUID;

/** A grower (or any end user) of an API owner's app, to whom provider credentials are attached. */
public record LeafUser(UUID id, UUID ownerId, String name, String email, String phone, String address,
                       String externalId, Instant createdAt, Instant updatedAt) {
}
