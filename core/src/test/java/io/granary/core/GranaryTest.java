package io.granary.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.port.in.AttachCredentialCommand;
import io.granary.core.port.in.UserDraft;
import io.granary.core.service.PasswordHasher;
import io.granary.core.service.OwnerService;
import io.granary.core.service.RefreshListener;
import io.granary.core.service.RefreshPolicy;
import io.granary.core.testing.InMemoryStores;
import io.granary.core.testing.TestOAuthProvider;
import io.granary.testkit.FakeTokenServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The embeddable entry point: wiring, start order and lifecycle, with a real token server and no HTTP. */
class GranaryTest {

    private static final RefreshPolicy FAST = new RefreshPolicy(Duration.ofSeconds(1), Duration.ofHours(24),
            Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(10));

    private final InMemoryStores storage = new InMemoryStores();
    private FakeTokenServer provider;

    @BeforeEach
    void startProvider() throws Exception {
        provider = new FakeTokenServer(4);
    }

    @AfterEach
    void stopProvider() {
        provider.close();
    }

    private Granary.Builder builder() {
        return Granary.builder()
                .storage(storage)
                .providers(List.of(new TestOAuthProvider()))
                .endpointSettings(Map.of(
                        "GRANARY_PROVIDER_TEST_OAUTH_PRODUCTION_TOKEN_URL", provider.tokenUrl(),
                        "GRANARY_PROVIDER_TEST_OAUTH_PRODUCTION_API_URL", provider.baseUrl())::get)
                .refreshPolicy(FAST)
                .scheduler(2, Duration.ofMillis(200));
    }

    private static Map<String, Object> body(String refreshToken) {
        return Map.of("clientId", FakeTokenServer.CLIENT_ID, "clientSecret", FakeTokenServer.CLIENT_SECRET, "refreshToken", refreshToken);
    }

    @Test
    void aStartedGranaryValidatesOnAttach_refreshesOnSchedule_andTellsTheListener() throws Exception {
        provider.expiresIn(Duration.ofSeconds(3));
        List<CredentialStatus> changes = new CopyOnWriteArrayList<>();
        RefreshListener listener = new RefreshListener() {
            @Override
            public void statusChanged(Credential credential, CredentialStatus previous) {
                changes.add(credential.status());
            }
        };
        try (Granary granary = builder().refreshListener(listener).build().start()) {
            ApiOwner owner = granary.owners().create("embedder@example.com", "a long enough password");
            UUID user = granary.users().create(owner.id(), new UserDraft("Grower", null, null, null, null)).id();
            String first = provider.newGrant();
            granary.credentials().attach(owner.id(), user, TestOAuthProvider.SUFFIX, AttachCredentialCommand.fromJson(body(first)));

            awaitTrue(() -> provider.rotations(first) >= 2, "validated, then refreshed on schedule");
            awaitTrue(() -> storedRefreshToken(owner, user).equals(provider.currentRefreshToken(first)), "the rotated token is stored");
            assertEquals(List.of(CredentialStatus.VALID), changes, "PROCESSING -> VALID, told once");
        }
    }

    @Test
    void startReleasesTheLeasesThisInstanceLeftBehind() throws Exception {
        OwnerService owners = new OwnerService(storage.owners(), new PasswordHasher(1_000), Clock.systemUTC());
        ApiOwner owner = owners.create("embedder@example.com", "a long enough password");
        String first = provider.newGrant();
        UUID user;
        try (Granary stopped = builder().instanceId("instance-1").build()) { // built, never started: nothing runs
            user = stopped.users().create(owner.id(), new UserDraft("Grower", null, null, null, null)).id();
            stopped.credentials().attach(owner.id(), user, TestOAuthProvider.SUFFIX, AttachCredentialCommand.fromJson(body(first)));
        }
        Credential attached = storage.credentials().find(owner.id(), user, "TestOAuth").orElseThrow();
        assertEquals(CredentialStatus.PROCESSING, attached.status(), "nothing ran before start");
        // As if instance-1 died mid-refresh holding a lease for an hour.
        storage.credentials().claim(attached.id(), "instance-1", Instant.now(), Instant.now().plus(Duration.ofHours(1)));
        try (Granary restarted = builder().instanceId("instance-1").build().start()) {
            awaitTrue(() -> storage.credentials().findById(attached.id()).orElseThrow().status() == CredentialStatus.VALID,
                    "refreshed at once, not an hour later");
        }
    }

    @Test
    void aStorageIsRequired_andStartingTwiceIsRefused() {
        assertThrows(IllegalStateException.class, () -> Granary.builder().build());
        try (Granary granary = builder().build().start()) {
            assertThrows(IllegalStateException.class, granary::start);
            assertTrue(storage.isHealthy());
        }
    }

    private String storedRefreshToken(ApiOwner owner, UUID user) {
        return storage.credentials().find(owner.id(), user, "TestOAuth").orElseThrow().fields().get("refreshToken");
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
