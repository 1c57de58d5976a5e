package io.granary.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.Credential;
import io.granary.core.domain.LeafUser;
import io.granary.core.port.in.AttachCredentialCommand;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.port.in.UserDraft;
import io.granary.core.testing.InMemoryStores;
import io.granary.core.testing.TestOAuthProvider;
import io.granary.spi.JdkProviderHttp;
import io.granary.testkit.FakeTokenServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deleting a credential revokes its grant at the provider (RFC 7009), after the delete, without ever blocking it. */
final class GrantRevocationTest {

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getLogger(GrantRevoker.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private FakeTokenServer provider;
    private GrantRevoker revoker;
    private CredentialService service;
    private CompletableFuture<GrantRevoker.Outcome> outcome;
    private UUID ownerId;
    private LeafUser user;

    @BeforeEach
    void setUp() throws Exception {
        log.addHandler(capture);
        provider = new FakeTokenServer();
        InMemoryStores stores = new InMemoryStores();
        Clock clock = Clock.systemUTC();
        ProviderRegistry registry = ProviderRegistry.of(List.of(new TestOAuthProvider()), Map.of(
                "GRANARY_PROVIDER_TEST_OAUTH_PRODUCTION_TOKEN_URL", provider.tokenUrl(),
                "GRANARY_PROVIDER_TEST_OAUTH_PRODUCTION_API_URL", provider.baseUrl(),
                "GRANARY_PROVIDER_TEST_OAUTH_PRODUCTION_REVOKE_URL", provider.revokeUrl())::get);
        JdkProviderHttp http = new JdkProviderHttp(Duration.ofSeconds(2), Duration.ofSeconds(5));
        CredentialRefresher refresher = new CredentialRefresher(registry, stores.credentials(), stores.events(), http,
                RefreshPolicy.defaults(), clock, "test", RefreshListener.NONE);
        revoker = new GrantRevoker(registry, http, clock);
        service = new CredentialService(registry, stores.users(), stores.credentials(), stores.events(), refresher,
                () -> { }, deleted -> outcome = revoker.afterDelete(deleted), clock);
        ownerId = UUID.randomUUID();
        user = new UserService(stores.users(), stores.credentials(), registry, clock).create(ownerId, new UserDraft("Grower", null, null, null, null));
    }

    @AfterEach
    void tearDown() {
        revoker.close();
        provider.close();
        log.removeHandler(capture);
    }

    private String attachAndRefresh() {
        String grant = provider.newGrant();
        service.attach(ownerId, user.id(), TestOAuthProvider.SUFFIX, AttachCredentialCommand.fromJson(Map.of(
                "clientId", FakeTokenServer.CLIENT_ID, "clientSecret", FakeTokenServer.CLIENT_SECRET, "refreshToken", grant)));
        Credential refreshed = service.refreshNow(ownerId, user.id(), TestOAuthProvider.SUFFIX);
        assertEquals(provider.currentRefreshToken(grant), refreshed.field("refreshToken"), "rotated once");
        return grant;
    }

    @Test
    void detach_revokesTheGrantItsRotatedTokenBelongsTo() throws Exception {
        String grant = attachAndRefresh();

        service.detach(ownerId, user.id(), TestOAuthProvider.SUFFIX);

        assertEquals(GrantRevoker.Outcome.REVOKED, outcome.get(5, TimeUnit.SECONDS));
        assertTrue(provider.isRevoked(grant));
        assertTrue(logged.stream().anyMatch(r -> r.getLevel() == Level.INFO && r.getMessage().contains("revoked at the provider")));
    }

    @Test
    void detach_whenRevocationAnswers503_stillDeletes_andLogsTheFailureWithoutSecrets() throws Exception {
        String grant = attachAndRefresh();
        String storedToken = provider.currentRefreshToken(grant);
        provider.failWith(503);

        service.detach(ownerId, user.id(), TestOAuthProvider.SUFFIX);

        assertThrows(NotFoundException.class, () -> service.get(ownerId, user.id(), TestOAuthProvider.SUFFIX), "deleted all the same");
        assertEquals(GrantRevoker.Outcome.FAILED, outcome.get(5, TimeUnit.SECONDS));
        assertFalse(provider.isRevoked(grant));
        LogRecord warning = logged.stream().filter(r -> r.getLevel() == Level.WARNING).findFirst().orElseThrow();
        String text = java.text.MessageFormat.format(warning.getMessage(), warning.getParameters());
        assertTrue(text.contains("503"), text);
        for (String secret : List.of(FakeTokenServer.CLIENT_SECRET, grant, storedToken)) {
            assertFalse(text.contains(secret), text);
        }
    }
}
