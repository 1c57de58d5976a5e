package io.granary.core.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A consent in progress: stored under the hash of its {@code state}, taken (deleted) by the callback, so a state
 * works once. {@code browserHash} is the hash of the nonce in the grower's HttpOnly cookie.
 */
public record PendingAuthorization(String stateHash, UUID linkId, String providerId, String browserHash,
                                   Instant expiresAt) {
}
