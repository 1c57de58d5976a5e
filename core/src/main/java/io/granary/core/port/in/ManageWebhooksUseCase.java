package io.granary.core.port.in;

import io.granary.core.domain.FailedCall;
import io.granary.core.domain.Webhook;
import java.util.List;
import java.util.UUID;

/** An API owner's alert webhooks. Another owner's webhook is reported as not found. */
public interface ManageWebhooksUseCase {

    /**
     * Registers the webhook and queues its confirmation call (whose failure does not fail registration).
     *
     * @throws InvalidInputException with code {@value WebhookDraft#EVENT_REGISTERED_TWICE} if another webhook of
     *                               this owner has one of the events
     */
    Webhook register(UUID ownerId, WebhookDraft draft);

    List<Webhook> list(UUID ownerId);

    /** @throws NotFoundException */
    Webhook get(UUID ownerId, UUID webhookId);

    /** @throws NotFoundException */
    void delete(UUID ownerId, UUID webhookId);

    /** Newest first. */
    List<FailedCall> failedCalls(UUID ownerId);
}
