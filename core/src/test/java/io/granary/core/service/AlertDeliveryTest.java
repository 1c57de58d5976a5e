package io.granary.core.service;

import io.granary.core.port.in.AttachCredentialCommand;
import io.granary.spi.JdkProviderHttp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.AlertEvent;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.domain.FailedCall;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.Webhook;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.port.in.UserDraft;
import io.granary.core.port.in.WebhookDraft;
import io.granary.core.port.out.StorageUnavailableException;
import io.granary.spi.Json;
import io.granary.testkit.FakeTokenServer;
import io.granary.core.testing.FakeWebhookReceiver;
import io.granary.core.testing.InMemoryStores;
import io.granary.core.testing.TestOAuthProvider;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Refresh -> outbox -> sender -> a real receiver, over in-memory stores. */
final class AlertDeliveryTest {

    private static final String SECRET = "receiver-shared-secret";
    private static final List<Duration> DELAYS = List.of(Duration.ofMillis(300), Duration.ofMillis(600));
    private static final AlertSender.Settings SETTINGS = AlertSender.Settings.defaults()
            .withRetryDelays(DELAYS).withPollInterval(Duration.ofMillis(100));

    private final Clock clock = Clock.systemUTC();
    private FakeTokenServer provider;
    private FakeWebhookReceiver receiver;
    private InMemoryStores stores;
    private CredentialRefresher refresher;
    private CredentialService credentials;
    private WebhookService webhooks;
    private AlertSender sender;
    private UUID ownerId;
    private LeafUser user;
    private String refreshToken;

    @BeforeEach
    void setUp() throws Exception {
        provider = new FakeTokenServer();
        receiver = new FakeWebhookReceiver();
        stores = new InMemoryStores();
        ProviderRegistry registry = ProviderRegistry.of(List.of(new TestOAuthProvider()), Map.of(
                "GRANARY_PROVIDER_TEST_OAUTH_PRODUCTION_TOKEN_URL", provider.tokenUrl(),
                "GRANARY_PROVIDER_TEST_OAUTH_PRODUCTION_API_URL", provider.baseUrl())::get);
        refresher = new CredentialRefresher(registry, stores.credentials(), stores.events(),
                new JdkProviderHttp(Duration.ofSeconds(2), Duration.ofSeconds(5)), RefreshPolicy.defaults(), clock, "test",
                RefreshListener.NONE);
        credentials = new CredentialService(registry, stores.users(), stores.credentials(), stores.events(), refresher, () -> { }, clock);
        // The receiver listens on loopback: private destinations allowed, as GRANARY_WEBHOOK_ALLOW_PRIVATE=true does.
        sender = new AlertSender(stores.outbox(), clock, "test", SETTINGS, WebhookDestinationGuard.allowingPrivate());
        webhooks = new WebhookService(stores.webhooks(), sender::wake, clock, WebhookDestinationGuard.allowingPrivate());
        ownerId = UUID.randomUUID();
        user = new UserService(stores.users(), stores.credentials(), registry, clock).create(ownerId, new UserDraft("Grower", null, null, null, null));
        refreshToken = provider.newGrant();
    }

    @AfterEach
    void tearDown() {
        sender.close();
        receiver.close();
        provider.close();
    }

    private Credential attach() {
        return credentials.attach(ownerId, user.id(), TestOAuthProvider.SUFFIX, AttachCredentialCommand.fromJson(Map.of(
                "clientId", FakeTokenServer.CLIENT_ID, "clientSecret", FakeTokenServer.CLIENT_SECRET, "refreshToken", refreshToken)));
    }

    private Webhook register(String path, AlertEvent... events) {
        return webhooks.register(ownerId, new WebhookDraft("hook " + path, receiver.url(path), SECRET, Set.of(events)));
    }

    @Test
    void refresh_whenGrantRevoked_storesUnauthenticatedAlertWithOneDeliveryPerSubscriber() {
        register("/a", AlertEvent.CREDENTIALS_UNAUTHENTICATED);
        register("/b", AlertEvent.CREDENTIALS_LIMITED_PERMISSION);
        long confirmations = stores.outbox().backlog();
        Credential credential = attach();
        provider.revoke(refreshToken);

        refresher.refresh(credential.id(), CredentialRefresher.Reason.DUE);

        assertEquals(1, stores.alerts().stream().filter(a -> a.event() != null).count());
        var alert = stores.alerts().stream().filter(a -> a.event() != null).findFirst().orElseThrow();
        assertEquals(AlertEvent.CREDENTIALS_UNAUTHENTICATED, alert.event());
        assertEquals(confirmations + 1, stores.outbox().backlog(), "only the subscriber of the event gets a delivery");
        assertFalse(alert.body().contains(FakeTokenServer.CLIENT_SECRET) || alert.body().contains(refreshToken));
    }

    @Test
    void refresh_whenStatusWriteFails_storesNoAlertEither() {
        register("/a", AlertEvent.CREDENTIALS_UNAUTHENTICATED);
        Credential credential = attach();
        provider.revoke(refreshToken);
        stores.failNextFinish(new StorageUnavailableException("disk full", null));

        assertThrows(StorageUnavailableException.class, () -> refresher.refresh(credential.id(), CredentialRefresher.Reason.DUE));

        assertEquals(CredentialStatus.PROCESSING, stores.credentials().findById(credential.id()).orElseThrow().status());
        assertTrue(stores.alerts().stream().allMatch(a -> a.event() == null), "no alert without its status change");
    }

    @Test
    void refresh_whenProviderOnlyDown_raisesNoAlert() {
        register("/a", AlertEvent.values());
        Credential credential = attach();
        provider.failWith(503);
        refresher.refresh(credential.id(), CredentialRefresher.Reason.DUE);
        provider.recover();
        refresher.refresh(credential.id(), CredentialRefresher.Reason.FORCED);

        assertEquals(CredentialStatus.VALID, stores.credentials().findById(credential.id()).orElseThrow().status());
        assertTrue(stores.alerts().stream().allMatch(a -> a.event() == null), "PROCESSING/TEMPORARILY_UNAVAILABLE -> VALID is not news");
    }

    @Test
    void deliver_whenReceiverFails_retriesOnScheduleWithStableIdAndValidSignatures() throws Exception {
        Credential credential = attach();
        register("/a", AlertEvent.CREDENTIALS_UNAUTHENTICATED);
        provider.revoke(refreshToken);
        sender.start();
        receiver.await(1, Duration.ofSeconds(5)); // the confirmation
        receiver.failNext(2, 503);

        refresher.refresh(credential.id(), CredentialRefresher.Reason.DUE);
        sender.wake();

        List<FakeWebhookReceiver.Received> calls = receiver.await(4, Duration.ofSeconds(10)).subList(1, 4);
        Thread.sleep(DELAYS.get(1).toMillis() * 2); // room for a wrong extra attempt to show up
        assertEquals(4, receiver.received().size(), "no attempt after a 2xx");
        String id = calls.get(0).header("webhook-id");
        for (FakeWebhookReceiver.Received call : calls) {
            assertTrue(call.signedWith(SECRET), "both signatures verify");
            assertEquals(id, call.header("webhook-id"), "one id across retries");
            assertEquals(calls.get(0).body(), call.body());
        }
        assertEquals("credentialsUnauthenticated", ((Map<?, ?>) Json.parse(calls.get(0).body())).get("type"));
        assertGapAtLeast(calls.get(0).at(), calls.get(1).at(), DELAYS.get(0));
        assertGapAtLeast(calls.get(1).at(), calls.get(2).at(), DELAYS.get(1));
        assertEquals(0, sender.backlog());
        List<FailedCall> failed = webhooks.failedCalls(ownerId);
        assertEquals(2, failed.size());
        assertEquals(503, failed.get(0).status());
        assertTrue(failed.get(0).response().startsWith("receiver says no"));
        assertEquals(calls.get(0).body(), failed.get(0).requestBody());
        assertNull(failed.get(0).connectionError());
    }

    @Test
    void deliver_whenEveryAttemptFails_givesUpAfterLastRetry() throws Exception {
        Credential credential = attach();
        register("/a", AlertEvent.CREDENTIALS_UNAUTHENTICATED);
        receiver.failNext(100, 500);
        provider.revoke(refreshToken);
        refresher.refresh(credential.id(), CredentialRefresher.Reason.DUE);

        sender.start();

        // 1 confirmation (never retried) + 1 + 2 retries of the alert.
        receiver.await(4, Duration.ofSeconds(10));
        Thread.sleep(DELAYS.get(1).toMillis() * 2);
        assertEquals(4, receiver.received().size());
        assertEquals(0, sender.backlog());
        assertEquals(4, webhooks.failedCalls(ownerId).size());
    }

    /**
     * More deliveries due than workers: each is sent at once, none left leased and unsent until its lease ran out
     * (the claim once leased the busy workers' share too, and those waited two minutes).
     */
    @Test
    void deliver_moreDueThanWorkers_sendsEachWithoutWaitingForALease() throws Exception {
        AlertSender.Settings twoWorkers = new AlertSender.Settings(DELAYS, Duration.ofMinutes(2), Duration.ofMillis(100),
                Duration.ofSeconds(2), Duration.ofSeconds(5), 2, Duration.ofDays(30));
        for (int i = 0; i < 12; i++) {
            new WebhookService(stores.webhooks(), () -> { }, clock, WebhookDestinationGuard.allowingPrivate())
                    .register(UUID.randomUUID(), new WebhookDraft("hook " + i, receiver.url("/" + i), SECRET, Set.of(AlertEvent.CREDENTIALS_RECOVERED)));
        }
        try (AlertSender twoAtATime = new AlertSender(stores.outbox(), clock, "test", twoWorkers, WebhookDestinationGuard.allowingPrivate()).start()) {
            assertEquals(12, receiver.await(12, Duration.ofSeconds(20)).size());
        }
    }

    @Test
    void register_sendsSignedConfirmation() throws Exception {
        Webhook webhook = register("/a", AlertEvent.CREDENTIALS_RECOVERED);
        sender.start();

        FakeWebhookReceiver.Received call = receiver.await(1, Duration.ofSeconds(5)).get(0);

        assertEquals("{\"message\":\"confirmation of webhook upon registration\"}", call.body());
        assertTrue(call.signedWith(SECRET));
        assertFalse(call.signedWith(SECRET + "x"), "a wrong secret must not verify");
        assertEquals(webhook, webhooks.get(ownerId, webhook.id()));
    }

    @Test
    void deliver_whenReceiverUnreachable_recordsConnectionError() throws Exception {
        URI closed;
        try (FakeWebhookReceiver gone = new FakeWebhookReceiver()) {
            closed = gone.url("/gone");
        }
        webhooks.register(ownerId, new WebhookDraft("gone", closed, SECRET, Set.of(AlertEvent.CREDENTIALS_RECOVERED)));
        sender.start();

        FailedCall failed = awaitFailedCall();

        assertNull(failed.status());
        assertEquals("connection refused", failed.connectionError());
        assertEquals(closed.toString(), failed.url());
    }

    @Test
    void deliver_whenReceiverRedirects_doesNotFollow() throws Exception {
        receiver.failNext(1, 302);
        register("/a", AlertEvent.CREDENTIALS_RECOVERED);
        sender.start();

        FailedCall failed = awaitFailedCall();

        assertEquals(302, failed.status());
        assertEquals(1, receiver.received().size());
    }

    @Test
    void register_whenEventTakenByAnotherWebhook_refusesWithCode() {
        register("/a", AlertEvent.CREDENTIALS_UNAUTHENTICATED);

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> register("/b", AlertEvent.CREDENTIALS_RECOVERED, AlertEvent.CREDENTIALS_UNAUTHENTICATED));

        assertEquals("eventRegisteredTwice", e.code());
        assertEquals(1, webhooks.list(ownerId).size());
        // Another owner may register the same event.
        webhooks.register(UUID.randomUUID(), new WebhookDraft("x", receiver.url("/c"), SECRET, Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED)));
    }

    @Test
    void delete_thenGet_isNotFoundAndDropsPendingDeliveries() {
        Webhook webhook = register("/a", AlertEvent.CREDENTIALS_UNAUTHENTICATED);
        assertEquals(1, sender.backlog());

        webhooks.delete(ownerId, webhook.id());

        assertThrows(NotFoundException.class, () -> webhooks.get(ownerId, webhook.id()));
        assertThrows(NotFoundException.class, () -> webhooks.delete(ownerId, webhook.id()));
        assertEquals(0, sender.backlog());
    }

    @Test
    void register_whenUrlReachesAPrivateAddress_refusesWithCodeAndStoresNothing() {
        WebhookService guarded = new WebhookService(stores.webhooks(), sender::wake, clock, WebhookDestinationGuard.publicOnly());

        for (URI url : List.of(receiver.url("/a"), URI.create("http://169.254.169.254/latest/meta-data/"))) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> guarded.register(ownerId,
                    new WebhookDraft("ops", url, SECRET, Set.of(AlertEvent.CREDENTIALS_RECOVERED))));

            assertEquals("url", e.field());
            assertEquals(WebhookService.DESTINATION_REFUSED, e.code());
            assertFalse(e.getMessage().contains(url.getHost()), "the message does not echo the URL");
        }
        assertEquals(List.of(), webhooks.list(ownerId));
        assertEquals(0, sender.backlog(), "no confirmation queued");
    }

    @Test
    void deliver_whenRegisteredWhileAllowedButGuardIsOnNow_isNotSentAndRecordedAsFailed() throws Exception {
        register("/a", AlertEvent.CREDENTIALS_RECOVERED); // allowed: setUp's service allows private destinations

        try (AlertSender guarded = new AlertSender(stores.outbox(), clock, "test", SETTINGS, WebhookDestinationGuard.publicOnly()).start()) {
            FailedCall failed = awaitFailedCall();

            assertNull(failed.status());
            assertEquals("not sent: its host resolves to a non-public address (loopback)", failed.connectionError());
            assertEquals(receiver.url("/a").toString(), failed.url());
            assertEquals(0, guarded.backlog(), "the confirmation is tried once, like any other failure");
        }
        assertEquals(List.of(), receiver.received());
    }

    @Test
    void deliver_whenHostRebindsToPrivateAfterRegistration_countsEachRefusalAsAFailedAttempt() throws Exception {
        // A fake DNS: the host is public when registered, and loopback by the time alerts go out.
        AtomicReference<String> dns = new AtomicReference<>("93.184.216.34");
        WebhookDestinationGuard guard = WebhookDestinationGuard.publicOnly(host -> new InetAddress[] {InetAddress.getByName(dns.get())});
        WebhookService guardedWebhooks = new WebhookService(stores.webhooks(), () -> { }, clock, guard);
        guardedWebhooks.register(ownerId, new WebhookDraft("rebinding", URI.create("http://rebinding.test:"
                + receiver.url("/").getPort() + "/a"), SECRET, Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED)));
        dns.set("127.0.0.1");
        Credential credential = attach();
        provider.revoke(refreshToken);
        refresher.refresh(credential.id(), CredentialRefresher.Reason.DUE);

        try (AlertSender guarded = new AlertSender(stores.outbox(), clock, "test", SETTINGS, guard).start()) {
            // 1 confirmation (never retried) + the alert's first attempt and its 2 retries, each refused.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((webhooks.failedCalls(ownerId).size() < 4 || guarded.backlog() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, guarded.backlog(), "given up after the last retry");
        }
        List<FailedCall> failed = webhooks.failedCalls(ownerId);
        assertEquals(4, failed.size());
        assertTrue(failed.stream().allMatch(f -> "not sent: its host resolves to a non-public address (loopback)"
                .equals(f.connectionError()) && f.status() == null), failed.toString());
        assertEquals(List.of(), receiver.received());
    }

    private FailedCall awaitFailedCall() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            List<FailedCall> failed = webhooks.failedCalls(ownerId);
            if (!failed.isEmpty()) {
                return failed.get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no failed call recorded");
    }

    private static void assertGapAtLeast(Instant first, Instant second, Duration expected) {
        Duration gap = Duration.between(first, second);
        assertTrue(gap.compareTo(expected.minusMillis(20)) >= 0, "retry came after " + gap + ", expected at least " + expected);
    }
}
