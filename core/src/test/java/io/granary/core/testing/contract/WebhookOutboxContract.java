package io.granary.core.testing.contract;

import static io.granary.core.testing.contract.StorageContract.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.Alert;
import io.granary.core.domain.AlertEvent;
import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.domain.FailedCall;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.Webhook;
import io.granary.core.domain.WebhookDelivery;
import io.granary.core.port.out.DuplicateException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Webhooks and the alert outbox: deliveries claimed with a lease, so processes never send one delivery at once. */
public interface WebhookOutboxContract extends StorageContract {

    default Webhook newWebhook(ApiOwner owner, Set<AlertEvent> events, long createdSecondsAfterT0) {
        Webhook webhook = new Webhook(UUID.randomUUID(), owner.id(), "hook", URI.create("https://receiver.example/hook"), events,
                at(createdSecondsAfterT0));
        storage().webhooks().insert(webhook, "whsec-" + webhook.id(), new Alert(UUID.randomUUID(), owner.id(), null,
                "{\"type\":\"webhookRegistered\"}", at(createdSecondsAfterT0)));
        return webhook;
    }

    default FailedCall failedCall(WebhookDelivery d, long secondsAfterT0) {
        return new FailedCall(d.ownerId(), d.webhookId(), at(secondsAfterT0), d.url().toString(), 500, "oops", d.body(), null);
    }

    @Test
    default void webhooks_areScopedToTheirOwner_andAnEventBelongsToOneWebhookPerOwner() {
        ApiOwner owner = newOwner();
        Webhook first = newWebhook(owner, Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED), 0);
        Webhook second = newWebhook(owner, Set.of(AlertEvent.CREDENTIALS_RECOVERED), 1);
        assertThrows(DuplicateException.class, () -> newWebhook(owner, Set.of(AlertEvent.CREDENTIALS_RECOVERED), 2));
        assertEquals(List.of(first, second), storage().webhooks().list(owner.id()));
        assertEquals(first, storage().webhooks().find(owner.id(), first.id()).orElseThrow());
        ApiOwner other = newOwner();
        assertTrue(storage().webhooks().find(other.id(), first.id()).isEmpty());
        assertFalse(storage().webhooks().delete(other.id(), first.id()));
        newWebhook(other, Set.of(AlertEvent.CREDENTIALS_RECOVERED), 3); // another owner may subscribe to it
    }

    @Test
    default void registration_queuesOneConfirmation_triedOnce_withTheSecretOpened() {
        ApiOwner owner = newOwner();
        Webhook webhook = newWebhook(owner, Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED), 0);
        assertEquals(1, storage().alertOutbox().backlog());
        List<WebhookDelivery> claimed = storage().alertOutbox().claimDue(at(1), "a", at(61), 10);
        assertEquals(1, claimed.size());
        WebhookDelivery d = claimed.get(0);
        assertEquals(webhook.id(), d.webhookId());
        assertEquals(owner.id(), d.ownerId());
        assertEquals("whsec-" + webhook.id(), d.secret());
        assertEquals("{\"type\":\"webhookRegistered\"}", d.body());
        assertEquals(0, d.attempts());
        assertFalse(d.retries());
    }

    @Test
    default void claimDue_leasesADelivery_untilTheLeaseEnds() {
        newWebhook(newOwner(), Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED), 0);
        WebhookDelivery d = storage().alertOutbox().claimDue(at(1), "a", at(61), 10).get(0);
        assertTrue(storage().alertOutbox().claimDue(at(2), "b", at(62), 10).isEmpty(), "leased by a");
        assertEquals(Optional.of(at(61)), storage().alertOutbox().earliestDue(), "due again when the lease ends");
        assertFalse(storage().alertOutbox().markDelivered(d.id(), "b", at(3)), "b does not hold it");
        assertEquals(List.of(d.id()), storage().alertOutbox().claimDue(at(61), "b", at(121), 10).stream().map(WebhookDelivery::id).toList());
        assertFalse(storage().alertOutbox().markDelivered(d.id(), "a", at(62)), "a lost it to b");
        assertTrue(storage().alertOutbox().markDelivered(d.id(), "b", at(62)));
        assertEquals(0, storage().alertOutbox().backlog());
        assertTrue(storage().alertOutbox().claimDue(at(500), "c", at(560), 10).isEmpty());
        assertEquals(Optional.empty(), storage().alertOutbox().earliestDue());
    }

    @Test
    default void finishRefresh_withAnAlert_queuesOneDeliveryPerSubscribedWebhookOfTheOwner() {
        ApiOwner owner = newOwner();
        Webhook subscribed = newWebhook(owner, Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED), 0);
        newWebhook(owner, Set.of(AlertEvent.CREDENTIALS_RECOVERED), 0);
        newWebhook(newOwner(), Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED), 0);
        drainConfirmations();
        LeafUser user = newUser(owner, "Grower", 0);
        Credential c = newCredential(user, "trimble", at(0));
        Credential claimed = storage().credentials().claim(c.id(), "r", at(10), at(130)).orElseThrow();
        Alert alert = new Alert(UUID.randomUUID(), owner.id(), AlertEvent.CREDENTIALS_UNAUTHENTICATED, "{\"type\":\"x\"}", at(11));
        storage().credentials().finishRefresh(c.id(), claimed.version(), CredentialStatus.INVALID, "revoked", null, 1, at(11), alert, List.of());
        List<WebhookDelivery> claimedDeliveries = storage().alertOutbox().claimDue(at(11), "s", at(71), 10);
        assertEquals(1, claimedDeliveries.size());
        WebhookDelivery d = claimedDeliveries.get(0);
        assertEquals(subscribed.id(), d.webhookId());
        assertEquals(alert.id(), d.alertId());
        assertEquals("{\"type\":\"x\"}", d.body());
        assertTrue(d.retries());
    }

    @Test
    default void recordFailure_schedulesTheNextAttempt_orGivesUp_andKeepsTheFailedCall() {
        ApiOwner owner = newOwner();
        newWebhook(owner, Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED), 0);
        WebhookDelivery d = storage().alertOutbox().claimDue(at(1), "a", at(61), 10).get(0);
        assertFalse(storage().alertOutbox().recordFailure(d.id(), "b", failedCall(d, 2), at(30)), "b does not hold it");
        assertTrue(storage().alertOutbox().recordFailure(d.id(), "a", failedCall(d, 2), at(30)));
        assertEquals(1, storage().alertOutbox().backlog());
        assertEquals(Optional.of(at(30)), storage().alertOutbox().earliestDue(), "the lease was released");
        assertTrue(storage().alertOutbox().claimDue(at(29), "a", at(89), 10).isEmpty());
        WebhookDelivery again = storage().alertOutbox().claimDue(at(30), "a", at(90), 10).get(0);
        assertEquals(1, again.attempts());
        assertTrue(storage().alertOutbox().recordFailure(again.id(), "a", failedCall(again, 31), null));
        assertEquals(0, storage().alertOutbox().backlog(), "given up");
        List<FailedCall> calls = storage().webhooks().failedCalls(owner.id(), 10);
        assertEquals(List.of(at(31), at(2)), calls.stream().map(FailedCall::createdAt).toList(), "newest first");
        assertEquals(1, storage().webhooks().failedCalls(owner.id(), 1).size());
        assertTrue(storage().webhooks().failedCalls(newOwner().id(), 10).isEmpty());
    }

    @Test
    default void releaseLeases_freesOnlyTheClaimantsDeliveries() {
        newWebhook(newOwner(), Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED), 0);
        storage().alertOutbox().claimDue(at(1), "dead", at(1000), 10);
        assertEquals(0, storage().alertOutbox().releaseLeases("other"));
        assertEquals(1, storage().alertOutbox().releaseLeases("dead"));
        assertEquals(1, storage().alertOutbox().claimDue(at(2), "new", at(62), 10).size());
    }

    @Test
    default void deletingAWebhook_dropsItsPendingDeliveries() {
        ApiOwner owner = newOwner();
        Webhook webhook = newWebhook(owner, Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED), 0);
        assertTrue(storage().webhooks().delete(owner.id(), webhook.id()));
        assertEquals(0, storage().alertOutbox().backlog());
        assertTrue(storage().webhooks().list(owner.id()).isEmpty());
    }

    @Test
    default void purgeOlderThan_dropsFinishedDeliveriesAndFailedCalls_butKeepsPendingOnes() {
        ApiOwner owner = newOwner();
        newWebhook(owner, Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED), 0);
        WebhookDelivery d = storage().alertOutbox().claimDue(at(1), "a", at(61), 10).get(0);
        storage().alertOutbox().recordFailure(d.id(), "a", failedCall(d, 2), null);
        newWebhook(owner, Set.of(AlertEvent.CREDENTIALS_RECOVERED), 5); // its confirmation stays pending
        assertTrue(storage().alertOutbox().purgeOlderThan(at(100)) >= 2, "the failed call and the finished delivery");
        assertTrue(storage().webhooks().failedCalls(owner.id(), 10).isEmpty());
        assertEquals(1, storage().alertOutbox().backlog());
    }

    private void drainConfirmations() {
        for (WebhookDelivery d : storage().alertOutbox().claimDue(at(0), "setup", at(1), 100)) {
            storage().alertOutbox().markDelivered(d.id(), "setup", at(0));
        }
    }
}
