package io.granary.core.service;

import io.granary.core.port.in.AttachCredentialCommand;
import io.granary.spi.JdkProviderHttp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialEvent;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.PageRequest;
import io.granary.core.port.in.UserDraft;
import io.granary.core.port.out.StaleWriteException;
import io.granary.core.port.out.StorageUnavailableException;
import io.granary.spi.Environment;
import io.granary.testkit.FakeTokenServer;
import io.granary.core.testing.InMemoryStores;
import io.granary.core.testing.TestOAuthProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The refresh lifecycle over in-memory stores, against a real local token server. */
final class CredentialLifecycleTest {

    private FakeTokenServer provider;
    private InMemoryStores stores;
    private ProviderRegistry registry;
    private CredentialRefresher refresher;
    private CredentialService service;
    private final List<CredentialStatus> statusChanges = new ArrayList<>();
    private UUID ownerId;
    private LeafUser user;
    private String firstRefreshToken;

    @BeforeEach
    void setUp() throws Exception {
        provider = new FakeTokenServer();
        stores = new InMemoryStores();
        Clock clock = Clock.systemUTC();
        registry = ProviderRegistry.of(List.of(new TestOAuthProvider()), Map.of(
                "GRANARY_PROVIDER_TEST_OAUTH_PRODUCTION_TOKEN_URL", provider.tokenUrl(),
                "GRANARY_PROVIDER_TEST_OAUTH_PRODUCTION_API_URL", provider.baseUrl())::get);
        RefreshPolicy policy = new RefreshPolicy(Duration.ofMinutes(5), Duration.ofHours(24), Duration.ofSeconds(30),
                Duration.ofHours(1), Duration.ofMinutes(2));
        refresher = new CredentialRefresher(registry, stores.credentials(), stores.events(),
                new JdkProviderHttp(Duration.ofSeconds(2), Duration.ofSeconds(5)), policy, clock, "test-instance",
                new RefreshListener() {
                    @Override
                    public void statusChanged(Credential credential, CredentialStatus previous) {
                        statusChanges.add(credential.status());
                    }
                });
        service = new CredentialService(registry, stores.users(), stores.credentials(), stores.events(), refresher, () -> { }, clock);
        ownerId = UUID.randomUUID();
        user = new UserService(stores.users(), stores.credentials(), registry, clock).create(ownerId, new UserDraft("Grower", null, null, null, null));
        firstRefreshToken = provider.newGrant();
    }

    @AfterEach
    void tearDown() {
        provider.close();
    }

    private Credential attach() {
        return service.attach(ownerId, user.id(), TestOAuthProvider.SUFFIX, AttachCredentialCommand.fromJson(Map.of(
                "clientId", FakeTokenServer.CLIENT_ID,
                "clientSecret", FakeTokenServer.CLIENT_SECRET,
                "refreshToken", firstRefreshToken)));
    }

    private Credential stored(UUID id) {
        return stores.credentials().findById(id).orElseThrow();
    }

    @Test
    void attach_storesProcessingAndDueNow() {
        Credential credential = attach();

        assertEquals(CredentialStatus.PROCESSING, credential.status());
        assertEquals(Environment.PRODUCTION, credential.environment());
        assertEquals(List.of(credential.id()), stores.credentials().findDue(Instant.now(), 10));
        assertEquals(0, provider.tokenRequests(), "validation runs in the background, not in the POST");
    }

    @Test
    void refresh_whenProviderRotates_storesNewTokenAndBecomesValid() {
        Credential credential = attach();

        Credential refreshed = refresher.refresh(credential.id(), CredentialRefresher.Reason.DUE).orElseThrow();

        assertEquals(CredentialStatus.VALID, refreshed.status());
        assertEquals(provider.currentRefreshToken(firstRefreshToken), refreshed.field("refreshToken"));
        assertNotEquals(firstRefreshToken, refreshed.field("refreshToken"));
        assertTrue(refreshed.field("accessToken").startsWith("at-"));
        assertEquals(List.of("openid", "ag"), refreshed.scopes());
        assertNotNull(refreshed.accessExpiresAt());
        // One hour tokens, five minute margin: next refresh 55 minutes out.
        Duration untilNext = Duration.between(Instant.now(), refreshed.nextRefreshAt());
        assertTrue(untilNext.compareTo(Duration.ofMinutes(54)) > 0 && untilNext.compareTo(Duration.ofMinutes(56)) < 0, untilNext.toString());
        assertEquals(List.of(CredentialStatus.VALID), statusChanges);
    }

    @Test
    void refresh_whenGrantRevoked_becomesInvalidAndIsNotRetried() {
        Credential credential = attach();
        provider.revoke(firstRefreshToken);

        Credential refreshed = refresher.refresh(credential.id(), CredentialRefresher.Reason.DUE).orElseThrow();

        assertEquals(CredentialStatus.INVALID, refreshed.status());
        assertTrue(refreshed.statusMessage().contains("invalid_grant"));
        assertNull(refreshed.nextRefreshAt());
        assertTrue(stores.credentials().findDue(Instant.now().plus(Duration.ofDays(365)), 10).isEmpty());
        assertEquals(firstRefreshToken, refreshed.field("refreshToken"), "a refused token is kept, never blanked");
    }

    @Test
    void refresh_whenProviderDown_isTemporarilyUnavailableThenRecovers() {
        Credential credential = attach();
        provider.failWith(503);

        Credential failed = refresher.refresh(credential.id(), CredentialRefresher.Reason.DUE).orElseThrow();

        assertEquals(CredentialStatus.TEMPORARILY_UNAVAILABLE, failed.status());
        assertEquals(1, failed.failureCount());
        Duration backoff = Duration.between(Instant.now(), failed.nextRefreshAt());
        assertTrue(backoff.compareTo(Duration.ofSeconds(10)) > 0 && backoff.compareTo(Duration.ofSeconds(31)) <= 0, backoff.toString());
        assertEquals(firstRefreshToken, failed.field("refreshToken"));

        provider.recover();
        Credential recovered = refresher.refresh(credential.id(), CredentialRefresher.Reason.FORCED).orElseThrow();

        assertEquals(CredentialStatus.VALID, recovered.status());
        assertEquals(0, recovered.failureCount());
        assertEquals(List.of(CredentialStatus.TEMPORARILY_UNAVAILABLE, CredentialStatus.VALID), statusChanges);
    }

    @Test
    void get_whenFiftyReadersHitAnExpiringToken_sendsExactlyOneTokenRequest() throws Exception {
        Credential credential = attach();
        refresher.refresh(credential.id(), CredentialRefresher.Reason.DUE);
        // Make the token expire within the margin so every reader wants a fresh one.
        Credential valid = stored(credential.id());
        stores.credentials().saveTokens(valid.id(), valid.version(), Map.of(), Instant.now().plusSeconds(60), valid.scopes(), Instant.now());
        int before = provider.tokenRequests();
        provider.latency(Duration.ofMillis(200));

        ExecutorService readers = Executors.newFixedThreadPool(50);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Credential>> reads = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            reads.add(readers.submit(() -> {
                start.await();
                return service.get(ownerId, user.id(), TestOAuthProvider.SUFFIX);
            }));
        }
        start.countDown();
        String freshToken = provider.currentRefreshToken(firstRefreshToken);
        for (Future<Credential> read : reads) {
            Credential seen = read.get(10, TimeUnit.SECONDS);
            assertEquals(CredentialStatus.VALID, seen.status());
        }
        readers.shutdown();

        assertEquals(1, provider.tokenRequests() - before);
        assertEquals(provider.currentRefreshToken(firstRefreshToken), stored(credential.id()).field("refreshToken"));
        assertNotNull(freshToken);
    }

    @Test
    void get_whenBackingOffAfterAnOutage_doesNotCallTheProviderOnEveryRead() {
        Credential credential = attach();
        refresher.refresh(credential.id(), CredentialRefresher.Reason.DUE);
        Credential valid = stored(credential.id());
        stores.credentials().saveTokens(valid.id(), valid.version(), Map.of(), Instant.now().plusSeconds(60), valid.scopes(), Instant.now());
        provider.failWith(503);
        assertEquals(CredentialStatus.TEMPORARILY_UNAVAILABLE,
                service.get(ownerId, user.id(), TestOAuthProvider.SUFFIX).status(), "the first read tries and fails");
        int afterFirstRead = provider.tokenRequests();

        for (int i = 0; i < 5; i++) {
            service.get(ownerId, user.id(), TestOAuthProvider.SUFFIX);
        }

        assertEquals(afterFirstRead, provider.tokenRequests(), "reads respect the retry backoff");
    }

    @Test
    void refresh_whenAnotherProcessHoldsTheLease_doesNotCallTheProvider() {
        Credential credential = attach();
        Instant now = Instant.now();
        assertTrue(stores.credentials().claim(credential.id(), "other-process", now, now.plusSeconds(120)).isPresent());

        Credential seen = refresher.refresh(credential.id(), CredentialRefresher.Reason.FORCED).orElseThrow();

        assertEquals(0, provider.tokenRequests());
        assertEquals(CredentialStatus.PROCESSING, seen.status());
    }

    @Test
    void events_recordEveryProviderCallWithSecretsRedacted() {
        Credential credential = attach();
        refresher.refresh(credential.id(), CredentialRefresher.Reason.DUE);
        Credential valid = stored(credential.id());

        List<CredentialEvent> events = service.events(ownerId, user.id(), TestOAuthProvider.SUFFIX, new PageRequest(0, 20, false)).items();

        assertEquals(2, events.size(), "token call and access check");
        CredentialEvent tokenCall = events.get(1);
        assertEquals("POST", tokenCall.method());
        assertEquals(provider.tokenUrl(), tokenCall.url());
        assertEquals(200, tokenCall.statusCode());
        assertTrue(tokenCall.body().contains("\"access_token\":\"[REDACTED]\""), tokenCall.body());
        assertTrue(events.get(0).url().endsWith("/userinfo"));
        for (CredentialEvent event : events) {
            String text = event.headers() + event.body() + event.url();
            for (String secret : List.of(FakeTokenServer.CLIENT_SECRET, firstRefreshToken, valid.field("refreshToken"), valid.field("accessToken"))) {
                assertFalse(text.contains(secret), "event leaks a secret: " + text);
            }
        }
    }

    @Test
    void events_whenTheLeaseIsLostBeforeTheTokensAreSaved_theProviderCallIsStillRecorded_andTheNewTokensKept() {
        Credential credential = attach();
        stores.failNextSaveTokens(1, new StaleWriteException("another process took the lease over"));

        refresher.refresh(credential.id(), CredentialRefresher.Reason.FORCED);

        List<CredentialEvent> events = service.events(ownerId, user.id(), TestOAuthProvider.SUFFIX, new PageRequest(0, 20, false)).items();
        // The row still holds the refresh token this refresh presented, so its new tokens are stored on the row as
        // re-read (they are the only live ones), and the token call with them.
        assertEquals(provider.tokenUrl(), events.get(events.size() - 1).url(), "the token call is recorded");
        assertEquals(provider.currentRefreshToken(firstRefreshToken), stored(credential.id()).field("refreshToken"));
    }

    @Test
    void scheduler_refreshesDueCredentialsInTheBackground() throws Exception {
        provider.expiresIn(Duration.ofSeconds(2));
        RefreshScheduler scheduler = new RefreshScheduler(refresher, stores.credentials(), stores.events(), Clock.systemUTC(),
                4, Duration.ofMillis(200), Duration.ofDays(30));
        scheduler.start();
        try {
            Credential credential = attach();
            scheduler.wake();
            // Two-second tokens are refreshed at half-life: several rotations within a few seconds.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (provider.rotations(firstRefreshToken) < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(provider.rotations(firstRefreshToken) >= 3, "rotations: " + provider.rotations(firstRefreshToken));
            Credential now = stored(credential.id());
            assertEquals(CredentialStatus.VALID, now.status());
        } finally {
            scheduler.close();
        }
        Credential last = stores.credentials().find(ownerId, user.id(), "TestOAuth").orElseThrow();
        assertEquals(provider.currentRefreshToken(firstRefreshToken), last.field("refreshToken"), "the stored token is the one the provider accepts");
        assertEquals(0, provider.rejectedTokenRequests());
    }

    @Test
    void refresh_whenStorageRefusesTheRotatedTokenForAWhile_retriesAndKeepsIt() {
        provider.grace(Duration.ZERO); // the presented refresh token dies the moment the provider rotates it
        Credential credential = attach();
        StorageUnavailableException locked = new StorageUnavailableException("database unavailable (SQLITE_BUSY)", null);
        stores.failEventAppends(locked);
        stores.failNextSaveTokens(2, locked);

        Credential after = refresher.refresh(credential.id(), CredentialRefresher.Reason.FORCED).orElseThrow();

        assertEquals(CredentialStatus.VALID, after.status());
        assertEquals(provider.currentRefreshToken(firstRefreshToken), stored(credential.id()).field("refreshToken"));
        assertEquals(1, provider.tokenRequests());
        assertEquals(0, provider.rejectedTokenRequests());
    }

    @Test
    void refresh_whenStorageStaysDownPastTheLease_failsAsStorageTrouble_notAsTheProvidersFault() {
        RefreshPolicy shortLease = new RefreshPolicy(Duration.ofMinutes(5), Duration.ofHours(24), Duration.ofSeconds(30),
                Duration.ofHours(1), Duration.ofSeconds(2));
        CredentialRefresher refresher = new CredentialRefresher(registry, stores.credentials(), stores.events(),
                new JdkProviderHttp(Duration.ofSeconds(2), Duration.ofSeconds(1)), shortLease, Clock.systemUTC(),
                "test-instance", RefreshListener.NONE);
        Credential credential = attach();
        StorageUnavailableException full = new StorageUnavailableException("database unavailable (SQLITE_FULL)", null);
        stores.failNextSaveTokens(1_000, full);

        StorageUnavailableException thrown = assertThrows(StorageUnavailableException.class,
                () -> refresher.refresh(credential.id(), CredentialRefresher.Reason.FORCED));

        assertSame(full, thrown);
        Credential stored = stored(credential.id());
        assertEquals(CredentialStatus.PROCESSING, stored.status(), "not marked as a provider failure");
        assertEquals(firstRefreshToken, stored.field("refreshToken"));
    }
}
