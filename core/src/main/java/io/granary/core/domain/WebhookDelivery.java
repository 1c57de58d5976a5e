package io.granary.core.domain;

import java.net.URI;
import java.util.UUID;

/**
 * One (alert, webhook) pair claimed for sending. Its {@code id} is the stable {@code webhook-id} of every attempt.
 *
 * @param secret   the webhook's signing secret, opened for this send only; never printed (see toString)
 * @param attempts attempts made before this one
 * @param retries  false for a registration confirmation, which is tried once
 */
public record WebhookDelivery(UUID id, UUID alertId, UUID webhookId, UUID ownerId, URI url, String secret,
                              String body, int attempts, boolean retries) {

    @Override
    public String toString() {
        return "WebhookDelivery[id=" + id + ", alertId=" + alertId + ", webhookId=" + webhookId + ", attempts=" + attempts + "]";
    }
}
