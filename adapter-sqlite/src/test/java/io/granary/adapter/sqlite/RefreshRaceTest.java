package io.granary.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.domain.LeafUser;
import io.granary.core.service.CredentialRefresher;
import io.granary.core.service.ProviderRegistry;
import io.granary.core.service.RefreshListener;
import io.granary.core.service.RefreshPolicy;
import io.granary.core.testing.TestOAuthProvider;
import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.spi.JdkProviderHttp;
import io.granary.testkit.FakeTokenServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two refreshers on two storages of one SQLite file stand for two Granary processes; they share nothing in memory.
 * The token server rotates refresh tokens with no grace period: a token used once answers {@code invalid_grant}.
 *
 * <p>The race: A's refresh outlives its lease (the provider is slow), B claims the credential and presents the same
 * refresh token, which A's refresh has meanwhile retired. A's rotated token must not be lost: B has not replaced the
 * token A presented, so A stores its new one on the row B claimed. B's {@code invalid_grant} is a lost race, not a
 * revoked grant: B looks again and retries with the token A stored, or, if A's save came only after B's refusal,
 * B's INVALID is overwritten by A's outcome. Either way the credential ends VALID with the provider's current token.
 * Without the rescue of A's token it ends INVALID (checked by breaking it on purpose).
 */
final class RefreshRaceTest {

    private static final Duration LEASE = Duration.ofMillis(300);
    /** Longer than the lease: every provider call of A outlives it. */
    private static final Duration PROVIDER_LATENCY = Duration.ofMillis(1000);

    @TempDir
    Path dir;

    @Test
    void invalidGrant_afterAnotherProcessRotatedTheToken_retriesWithTheStoredOne_neverInvalid() throws Exception {
        try (FakeTokenServer fake = new FakeTokenServer();
             SqliteStorage a = SqliteStorage.open(dir.resolve("g.db"), Fixtures.sealer("k1"));
             SqliteStorage b = SqliteStorage.open(dir.resolve("g.db"), Fixtures.sealer("k1"))) {
            fake.grace(Duration.ZERO);
            fake.latency(PROVIDER_LATENCY);
            ProviderRegistry providers = registry(fake);
            CredentialRefresher processA = refresher(providers, a, "proc-a");
            CredentialRefresher processB = refresher(providers, b, "proc-b");
            String firstToken = fake.newGrant();
            Credential credential = insert(a, firstToken);

            CompletableFuture<?> refreshA = CompletableFuture.runAsync(() -> processA.refresh(credential.id(), CredentialRefresher.Reason.FORCED));
            // A has claimed once its request reached the provider; B claims once that lease has run out, well before
            // A's answer (and so A's save) arrives.
            while (fake.tokenRequests() == 0) {
                Thread.sleep(5);
            }
            Thread.sleep(LEASE.plusMillis(50).toMillis());
            CompletableFuture<Credential> refreshB = CompletableFuture.supplyAsync(
                    () -> processB.refresh(credential.id(), CredentialRefresher.Reason.FORCED).orElseThrow());
            CompletableFuture.allOf(refreshA, refreshB).get(30, TimeUnit.SECONDS);

            Credential stored = b.credentials().findById(credential.id()).orElseThrow();
            assertTrue(fake.rejectedTokenRequests() >= 1, "B presented a retired token (the race happened)");
            assertEquals(CredentialStatus.VALID, stored.status(), stored.statusMessage());
            assertEquals(fake.currentRefreshToken(firstToken), stored.field("refreshToken"),
                    "the token the provider accepts now is the stored one");
            // Not asserted: B's own answer (it finished, above). Whether B looked again and retried (VALID) or found
            // its INVALID write stale (the row as A left it) depends on which of B's refusal and A's save came first.
        }
    }

    @Test
    void invalidGrant_withTheStoredTokenUnchanged_isInvalid_afterOneRequest() throws Exception {
        try (FakeTokenServer fake = new FakeTokenServer();
             SqliteStorage a = SqliteStorage.open(dir.resolve("g.db"), Fixtures.sealer("k1"))) {
            fake.grace(Duration.ZERO);
            String token = fake.newGrant();
            fake.revoke(token);
            Credential credential = insert(a, token);

            Credential after = refresher(registry(fake), a, "proc-a").refresh(credential.id(), CredentialRefresher.Reason.FORCED).orElseThrow();

            assertEquals(CredentialStatus.INVALID, after.status());
            assertEquals(1, fake.tokenRequests(), "a revoked grant is not asked twice");
        }
    }

    private static ProviderRegistry registry(FakeTokenServer fake) {
        TestOAuthProvider provider = new TestOAuthProvider();
        Map<String, String> settings = Map.of(
                provider.descriptor().endpointSetting(EndpointKind.TOKEN_URL, Environment.PRODUCTION), fake.tokenUrl(),
                provider.descriptor().endpointSetting(EndpointKind.API_URL, Environment.PRODUCTION), fake.baseUrl());
        return ProviderRegistry.of(List.of(provider), settings::get);
    }

    private static CredentialRefresher refresher(ProviderRegistry providers, SqliteStorage storage, String claimant) {
        RefreshPolicy policy = new RefreshPolicy(Duration.ofMinutes(5), Duration.ofHours(24), Duration.ofSeconds(30),
                Duration.ofHours(1), LEASE);
        return new CredentialRefresher(providers, storage.credentials(), storage.events(),
                new JdkProviderHttp(Duration.ofSeconds(2), Duration.ofSeconds(5)), policy, Clock.systemUTC(), claimant,
                RefreshListener.NONE);
    }

    private static Credential insert(SqliteStorage storage, String refreshToken) {
        LeafUser user = Fixtures.insertUser(storage, Fixtures.insertOwner(storage));
        Instant now = Instant.now();
        Credential credential = new Credential(UUID.randomUUID(), user.ownerId(), user.id(), "TestOAuth", Environment.PRODUCTION,
                Map.of("clientId", FakeTokenServer.CLIENT_ID, "clientSecret", FakeTokenServer.CLIENT_SECRET, "refreshToken", refreshToken),
                CredentialStatus.PROCESSING, null, now, now, null, List.of(), now, 0, 0);
        storage.credentials().insert(credential);
        return credential;
    }
}
