package io.granary.core.domain;

import java.time.Instant;
import java.util.UUID;

/** An API owner: the ag-tech company whose app logs in to Granary. Owns Leaf users. */
public record ApiOwner(UUID id, String email, String passwordHash, boolean disabled, Instant createdAt) {
}
