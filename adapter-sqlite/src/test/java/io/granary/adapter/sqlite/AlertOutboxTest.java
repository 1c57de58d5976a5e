package io.granary.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import io.granary.core.port.out.AlertOutbox;
import io.granary.core.port.out.DuplicateException;
import io.granary.core.port.out.StaleWriteException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class AlertOutboxTest {

    private static final String SECRET = "hook-secret-do-not-leak";

    @TempDir
    Path dir;
    private SqliteStorage storage;
    private AlertOutbox outbox;
    private ApiOwner owner;
    private LeafUser user;

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(dir.resolve("g.db"), Fixtures.sealer("k1"));
        outbox = storage.alertOutbox();
        owner = Fixtures.insertOwner(storage);
        user = Fixtures.insertUser(storage, owner);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private Webhook register(Set<AlertEvent> events) {
        Webhook webhook = new Webhook(UUID.randomUUID(), owner.id(), "ops", URI.create("https://hooks.example.com/" + UUID.randomUUID()),
                events, Fixtures.T0);
        storage.webhooks().insert(webhook, SECRET, new Alert(UUID.randomUUID(), owner.id(), null, "{\"message\":\"hi\"}", Fixtures.T0));
        return webhook;
    }

    private Alert alert(AlertEvent event) {
        return new Alert(UUID.randomUUID(), owner.id(), event, "{\"type\":\"" + event.wireName() + "\"}", Fixtures.at(10));
    }

    /** Claims the credential and finishes it as INVALID with the alert. */
    private long finishInvalid(Credential c, Alert alert) {
        Credential claimed = storage.credentials().claim(c.id(), "me", Fixtures.at(1), Fixtures.at(100)).orElseThrow();
        return storage.credentials().finishRefresh(c.id(), claimed.version(), CredentialStatus.INVALID, "revoked", null, 0,
                Fixtures.at(10), alert, List.of());
    }

    private List<WebhookDelivery> claimAll(String claimant, Instant now) {
        return outbox.claimDue(now, claimant, now.plusSeconds(60), 100);
    }

    @Test
    void finishRefresh_withAlert_storesStatusAndOneDeliveryForTheSubscriber() {
        Webhook subscriber = register(Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED));
        register(Set.of(AlertEvent.CREDENTIALS_RECOVERED));
        Credential c = Fixtures.insertCredential(storage, user, "JohnDeere", null);
        claimAll("setup", Fixtures.at(0)).forEach(d -> outbox.markDelivered(d.id(), "setup", Fixtures.at(0))); // confirmations
        Alert alert = alert(AlertEvent.CREDENTIALS_UNAUTHENTICATED);

        finishInvalid(c, alert);

        assertEquals(CredentialStatus.INVALID, storage.credentials().findById(c.id()).orElseThrow().status());
        List<WebhookDelivery> due = claimAll("sender", Fixtures.at(10));
        assertEquals(1, due.size());
        WebhookDelivery d = due.get(0);
        assertEquals(alert.id(), d.alertId());
        assertEquals(subscriber.id(), d.webhookId());
        assertEquals(subscriber.url(), d.url());
        assertEquals(SECRET, d.secret());
        assertEquals(alert.body(), d.body());
        assertEquals(0, d.attempts());
        assertTrue(d.retries());
        assertFalse(d.toString().contains(SECRET));
    }

    @Test
    void finishRefresh_whenTheAlertWriteFails_rollsBackTheStatusToo() {
        register(Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED));
        Credential c = Fixtures.insertCredential(storage, user, "JohnDeere", null);
        Alert first = alert(AlertEvent.CREDENTIALS_UNAUTHENTICATED);
        long version = finishInvalid(c, first);
        Credential claimed = storage.credentials().claim(c.id(), "me", Fixtures.at(20), Fixtures.at(100)).orElseThrow();
        long backlog = outbox.backlog();
        // Same alert id again: its insert violates the primary key after the status update ran.
        Alert clash = new Alert(first.id(), owner.id(), AlertEvent.CREDENTIALS_RECOVERED, "{}", Fixtures.at(30));

        assertThrows(DuplicateException.class, () -> storage.credentials().finishRefresh(c.id(), claimed.version(),
                CredentialStatus.VALID, null, Fixtures.at(3600), 0, Fixtures.at(30), clash, List.of()));

        Credential after = storage.credentials().findById(c.id()).orElseThrow();
        assertEquals(CredentialStatus.INVALID, after.status(), "the status change rolled back with the alert");
        assertEquals(claimed.version(), after.version());
        assertEquals(version + 1, after.version());
        assertEquals(backlog, outbox.backlog());
    }

    @Test
    void finishRefresh_whenVersionIsStale_storesNoAlert() {
        register(Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED));
        Credential c = Fixtures.insertCredential(storage, user, "JohnDeere", null);
        long backlog = outbox.backlog();

        assertThrows(StaleWriteException.class, () -> storage.credentials().finishRefresh(c.id(), c.version() + 5,
                CredentialStatus.INVALID, null, null, 0, Fixtures.at(10), alert(AlertEvent.CREDENTIALS_UNAUTHENTICATED), List.of()));

        assertEquals(backlog, outbox.backlog());
    }

    @Test
    void claimDue_whileLeased_isNotClaimedAgain_untilTheLeaseEndsOrIsReleased() {
        register(Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED));
        Instant now = Fixtures.at(0);

        assertEquals(1, outbox.claimDue(now, "a", now.plusSeconds(60), 10).size());
        assertTrue(outbox.claimDue(now.plusSeconds(30), "b", now.plusSeconds(90), 10).isEmpty());
        assertEquals(Fixtures.at(60), outbox.earliestDue().orElseThrow());
        assertEquals(1, outbox.releaseLeases("a"));
        List<WebhookDelivery> again = outbox.claimDue(now.plusSeconds(30), "b", now.plusSeconds(90), 10);
        assertEquals(1, again.size());

        assertFalse(outbox.markDelivered(again.get(0).id(), "a", now), "a lost its lease");
        assertTrue(outbox.markDelivered(again.get(0).id(), "b", now));
        assertFalse(outbox.markDelivered(again.get(0).id(), "b", now), "delivered once");
        assertEquals(0, outbox.backlog());
        assertTrue(outbox.claimDue(now.plusSeconds(3600), "c", now.plusSeconds(3700), 10).isEmpty());
    }

    @Test
    void recordFailure_schedulesTheRetry_thenGivesUp_keepingEveryFailedCall() {
        Webhook webhook = register(Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED));
        WebhookDelivery d = claimAll("s", Fixtures.at(0)).get(0);
        FailedCall first = new FailedCall(owner.id(), webhook.id(), Fixtures.at(1), webhook.url().toString(), 503, "busy", d.body(), null);

        assertTrue(outbox.recordFailure(d.id(), "s", first, Fixtures.at(61)));

        assertTrue(claimAll("s", Fixtures.at(60)).isEmpty(), "not before its retry time");
        WebhookDelivery retry = claimAll("s", Fixtures.at(61)).get(0);
        assertEquals(1, retry.attempts());
        assertEquals(d.id(), retry.id());
        FailedCall second = new FailedCall(owner.id(), webhook.id(), Fixtures.at(62), webhook.url().toString(), null, null, d.body(), "timed out");
        assertTrue(outbox.recordFailure(retry.id(), "s", second, null));
        assertEquals(0, outbox.backlog());
        assertTrue(claimAll("s", Fixtures.at(100_000)).isEmpty());
        assertEquals(List.of(second, first), storage.webhooks().failedCalls(owner.id(), 10));
        assertTrue(storage.webhooks().failedCalls(Fixtures.insertOwner(storage).id(), 10).isEmpty());
    }

    @Test
    void insert_whenAnEventIsTaken_isRefusedAndStoresNothing() {
        register(Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED, AlertEvent.CREDENTIALS_RECOVERED));
        long backlog = outbox.backlog();

        assertThrows(DuplicateException.class, () -> register(Set.of(AlertEvent.CREDENTIALS_RECOVERED)));

        assertEquals(1, storage.webhooks().list(owner.id()).size());
        assertEquals(backlog, outbox.backlog(), "no confirmation for a refused webhook");
    }

    @Test
    void findListDelete_areScopedToTheOwner_andDeleteDropsPendingDeliveries() {
        Webhook webhook = register(Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED, AlertEvent.CREDENTIALS_RECOVERED));
        ApiOwner other = Fixtures.insertOwner(storage);

        assertEquals(webhook, storage.webhooks().find(owner.id(), webhook.id()).orElseThrow());
        assertEquals(List.of(webhook), storage.webhooks().list(owner.id()));
        assertTrue(storage.webhooks().find(other.id(), webhook.id()).isEmpty());
        assertFalse(storage.webhooks().delete(other.id(), webhook.id()));
        assertEquals(1, outbox.backlog());

        assertTrue(storage.webhooks().delete(owner.id(), webhook.id()));

        assertEquals(0, outbox.backlog());
        assertTrue(storage.webhooks().list(owner.id()).isEmpty());
        register(Set.of(AlertEvent.CREDENTIALS_RECOVERED)); // its events are free again
    }

    @Test
    void secret_isStoredSealed_andResealedOnKeyRotation() throws Exception {
        register(Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED));
        storage.close();
        Path file = dir.resolve("g.db");
        assertFalse(Fixtures.contains(Files.readAllBytes(file), SECRET));
        try (SqliteStorage old = SqliteStorage.open(file, Fixtures.sealer("k1"))) {
            assertTrue(old.holdsSecrets());
            assertEquals(1, old.resealAll(Fixtures.sealer("k2")));
        }
        storage = SqliteStorage.open(file, Fixtures.sealer("k2"));
        storage.verifySealer();
        assertEquals(SECRET, storage.alertOutbox().claimDue(Fixtures.at(0), "s", Fixtures.at(60), 1).get(0).secret());
    }

    @Test
    void purgeOlderThan_dropsFinishedWorkAndOldFailures_keepsPending() {
        Webhook webhook = register(Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED));
        WebhookDelivery d = claimAll("s", Fixtures.at(0)).get(0);
        outbox.recordFailure(d.id(), "s", new FailedCall(owner.id(), webhook.id(), Fixtures.at(1), "u", 500, "", "{}", null), null);
        register(Set.of(AlertEvent.CREDENTIALS_RECOVERED));

        assertEquals(0, outbox.purgeOlderThan(Fixtures.at(1)));
        assertEquals(3, outbox.purgeOlderThan(Fixtures.at(2)), "the failed call, its finished delivery and its alert");

        assertEquals(1, outbox.backlog());
        assertTrue(storage.webhooks().failedCalls(owner.id(), 10).isEmpty());
    }
}
