package io.granary.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.AlertEvent;
import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.domain.LeafUser;
import io.granary.core.port.in.AttachCredentialCommand;
import io.granary.core.port.in.WebhookDraft;
import io.granary.core.service.AlertSender;
import io.granary.core.service.CredentialRefresher;
import io.granary.core.service.CredentialService;
import io.granary.spi.JdkProviderHttp;
import io.granary.core.service.ProviderRegistry;
import io.granary.core.service.RefreshListener;
import io.granary.core.service.RefreshPolicy;
import io.granary.core.service.WebhookDestinationGuard;
import io.granary.core.service.WebhookService;
import io.granary.testkit.FakeTokenServer;
import io.granary.core.testing.FakeWebhookReceiver;
import io.granary.core.testing.TestOAuthProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A revoked grant, through the real refresher and SQLite, to a real receiver: signed, retried, once. */
final class WebhookDeliveryEndToEndTest {

    private static final String SECRET = "e2e-webhook-secret";
    private static final List<Duration> DELAYS = List.of(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(400));
    /** The receiver listens on loopback: private destinations allowed, as GRANARY_WEBHOOK_ALLOW_PRIVATE=true does. */
    private static final WebhookDestinationGuard LOOPBACK_RECEIVER = WebhookDestinationGuard.allowingPrivate();

    @TempDir
    Path dir;
    private final Clock clock = Clock.systemUTC();
    private FakeTokenServer provider;
    private FakeWebhookReceiver receiver;
    private SqliteStorage storage;
    private ProviderRegistry registry;
    private ApiOwner owner;
    private LeafUser user;
    private String refreshToken;

    @BeforeEach
    void setUp() throws Exception {
        provider = new FakeTokenServer();
        receiver = new FakeWebhookReceiver();
        storage = SqliteStorage.open(dir.resolve("g.db"), Fixtures.sealer("k1"));
        registry = ProviderRegistry.of(List.of(new TestOAuthProvider()), Map.of(
                "GRANARY_PROVIDER_TEST_OAUTH_PRODUCTION_TOKEN_URL", provider.tokenUrl(),
                "GRANARY_PROVIDER_TEST_OAUTH_PRODUCTION_API_URL", provider.baseUrl())::get);
        owner = Fixtures.insertOwner(storage);
        user = Fixtures.insertUser(storage, owner);
        refreshToken = provider.newGrant();
    }

    @AfterEach
    void tearDown() {
        storage.close();
        receiver.close();
        provider.close();
    }

    private AlertSender sender(String claimant) {
        return new AlertSender(storage.alertOutbox(), clock, claimant, AlertSender.Settings.defaults()
                .withRetryDelays(DELAYS).withPollInterval(Duration.ofMillis(100)), LOOPBACK_RECEIVER);
    }

    /** Registers a webhook, attaches a credential and lets the provider refuse it: one alert in the outbox. */
    private Credential revokedCredentialWithAlertQueued(Runnable wake) {
        new WebhookService(storage.webhooks(), wake, clock, LOOPBACK_RECEIVER).register(owner.id(), new WebhookDraft("ops", receiver.url("/hook"),
                SECRET, Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED)));
        CredentialRefresher refresher = new CredentialRefresher(registry, storage.credentials(), storage.events(),
                new JdkProviderHttp(Duration.ofSeconds(2), Duration.ofSeconds(5)), RefreshPolicy.defaults(), clock, "refresher",
                RefreshListener.NONE);
        Credential credential = new CredentialService(registry, storage.users(), storage.credentials(), storage.events(), refresher,
                () -> { }, clock).attach(owner.id(), user.id(), TestOAuthProvider.SUFFIX, AttachCredentialCommand.fromJson(Map.of(
                "clientId", FakeTokenServer.CLIENT_ID, "clientSecret", FakeTokenServer.CLIENT_SECRET, "refreshToken", refreshToken)));
        provider.revoke(refreshToken);
        Credential after = refresher.refresh(credential.id(), CredentialRefresher.Reason.DUE).orElseThrow();
        assertEquals(CredentialStatus.INVALID, after.status());
        return after;
    }

    @Test
    void deliver_whenReceiverFailsTwice_retriesOnScheduleAndDeliversOnce() throws Exception {
        receiver.failNext(3, 500); // the confirmation (tried once) and the alert's first two attempts
        try (AlertSender sender = sender("p1").start()) {
            Credential credential = revokedCredentialWithAlertQueued(sender::wake);

            List<FakeWebhookReceiver.Received> calls = receiver.await(4, Duration.ofSeconds(15));
            Thread.sleep(1_000); // room for a duplicate to show up
            assertEquals(4, receiver.received().size(), "confirmation once, alert three times, nothing after the 2xx");
            List<FakeWebhookReceiver.Received> alertCalls = calls.subList(1, 4);
            assertTrue(calls.get(0).body().contains("confirmation of webhook upon registration"));
            assertEquals(1, alertCalls.stream().map(c -> c.header("webhook-id")).distinct().count());
            assertTrue(calls.stream().allMatch(c -> c.signedWith(SECRET)));
            assertTrue(alertCalls.get(0).body().contains("\"credentialId\":\"" + credential.id() + "\""));
            assertTrue(Duration.between(alertCalls.get(0).at(), alertCalls.get(1).at()).toMillis() >= 180);
            assertTrue(Duration.between(alertCalls.get(1).at(), alertCalls.get(2).at()).toMillis() >= 380);
            assertEquals(0, sender.backlog());
            assertEquals(3, storage.webhooks().failedCalls(owner.id(), 10).size());
        }
    }

    @Test
    void deliver_afterRestart_sendsWhatTheOutboxHeld() throws Exception {
        revokedCredentialWithAlertQueued(() -> { }); // no sender running: the process "dies" with the alert queued
        assertEquals(2, storage.alertOutbox().backlog());
        storage.close();
        storage = SqliteStorage.open(dir.resolve("g.db"), Fixtures.sealer("k1"));

        try (AlertSender sender = sender("p2").start()) {
            receiver.await(2, Duration.ofSeconds(10));
            Thread.sleep(500);
            assertEquals(0, sender.backlog());
        }
        assertEquals(2, receiver.received().size());
        assertTrue(receiver.received().stream().anyMatch(c -> c.body().contains("credentialsUnauthenticated")));
    }

    @Test
    void deliver_withTwoProcessesSharingTheDatabase_sendsEachDeliveryOnce() throws Exception {
        revokedCredentialWithAlertQueued(() -> { });
        try (SqliteStorage second = SqliteStorage.open(dir.resolve("g.db"), Fixtures.sealer("k1"));
             AlertSender a = sender("p1");
             AlertSender b = new AlertSender(second.alertOutbox(), clock, "p2", AlertSender.Settings.defaults()
                     .withRetryDelays(DELAYS).withPollInterval(Duration.ofMillis(5)), LOOPBACK_RECEIVER)) {
            a.start();
            b.start();
            receiver.await(2, Duration.ofSeconds(10));
            Thread.sleep(500);
        }
        Map<String, Long> perId = receiver.received().stream()
                .collect(Collectors.groupingBy(c -> c.header("webhook-id"), Collectors.counting()));
        assertEquals(Map.of(), perId.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertEquals(2, perId.size());
    }
}
