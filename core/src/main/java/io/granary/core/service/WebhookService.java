package io.granary.core.service;

import io.granary.core.domain.Alert;
import io.granary.core.domain.AlertEvent;
import io.granary.core.domain.FailedCall;
import io.granary.core.domain.Webhook;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.ManageWebhooksUseCase;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.port.in.WebhookDraft;
import io.granary.core.port.out.DuplicateException;
import io.granary.core.port.out.WebhookStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Registers webhooks; the confirmation call goes through the outbox, so a slow receiver never slows the API. */
public final class WebhookService implements ManageWebhooksUseCase {

    static final int FAILED_CALLS_SHOWN = 100;
    public static final String DESTINATION_REFUSED = "webhookDestinationRefused";

    private final WebhookStore webhooks;
    private final Runnable wakeSender;
    private final Clock clock;
    private final WebhookDestinationGuard destinations;

    /**
     * @param wakeSender   asks the sender to look at the outbox now (the confirmation is waiting)
     * @param destinations which URLs may be registered; the sender asks it again before every attempt
     */
    public WebhookService(WebhookStore webhooks, Runnable wakeSender, Clock clock, WebhookDestinationGuard destinations) {
        this.webhooks = webhooks;
        this.wakeSender = wakeSender;
        this.clock = clock;
        this.destinations = destinations;
    }

    @Override
    public Webhook register(UUID ownerId, WebhookDraft draft) {
        destinations.refusal(draft.url()).ifPresent(reason -> {
            throw new InvalidInputException("url", "'url' must reach public internet addresses only, but " + reason
                    + "; private destinations are off unless the operator allows them", DESTINATION_REFUSED);
        });
        // Checked here for a friendly answer; the store's unique key decides races between two registrations.
        Set<AlertEvent> taken = EnumSet.noneOf(AlertEvent.class);
        webhooks.list(ownerId).forEach(w -> taken.addAll(w.events()));
        taken.retainAll(draft.events());
        if (!taken.isEmpty()) {
            throw registeredTwice();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Webhook webhook = new Webhook(UUID.randomUUID(), ownerId, draft.name(), draft.url(), draft.events(), now);
        Alert confirmation = Alerts.confirmation(ownerId, now);
        try {
            webhooks.insert(webhook, draft.secret(), confirmation);
        } catch (DuplicateException e) {
            throw registeredTwice();
        }
        wakeSender.run();
        return webhook;
    }

    @Override
    public List<Webhook> list(UUID ownerId) {
        return webhooks.list(ownerId);
    }

    @Override
    public Webhook get(UUID ownerId, UUID webhookId) {
        return webhooks.find(ownerId, webhookId).orElseThrow(() -> new NotFoundException("no such webhook"));
    }

    @Override
    public void delete(UUID ownerId, UUID webhookId) {
        if (!webhooks.delete(ownerId, webhookId)) {
            throw new NotFoundException("no such webhook");
        }
    }

    @Override
    public List<FailedCall> failedCalls(UUID ownerId) {
        return webhooks.failedCalls(ownerId, FAILED_CALLS_SHOWN);
    }

    private static InvalidInputException registeredTwice() {
        return new InvalidInputException("events", "an event is already registered by another webhook;"
                + " delete that webhook first", WebhookDraft.EVENT_REGISTERED_TWICE);
    }
}
