package io.granary.core.port.out;

import io.granary.core.domain.Alert;
import io.granary.core.domain.FailedCall;
import io.granary.core.domain.Webhook;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Storage of webhook registrations. Every lookup is scoped to an owner: another owner's webhook does not exist. */
public interface WebhookStore {

    /**
     * Stores the webhook, its secret (sealed) and its registration confirmation, queued for this webhook only,
     * in one transaction.
     *
     * @throws DuplicateException if another webhook of the owner already has one of its events
     */
    void insert(Webhook webhook, String secret, Alert confirmation);

    Optional<Webhook> find(UUID ownerId, UUID id);

    /** Oldest first. */
    List<Webhook> list(UUID ownerId);

    /** Deletes the webhook with its pending deliveries. @return false if no such webhook for this owner */
    boolean delete(UUID ownerId, UUID id);

    /** Newest first, at most {@code limit}. */
    List<FailedCall> failedCalls(UUID ownerId, int limit);
}
