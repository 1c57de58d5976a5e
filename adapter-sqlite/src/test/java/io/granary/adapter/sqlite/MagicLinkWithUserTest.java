package io.granary.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.MagicLink;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.MagicLinkForUserCommand;
import io.granary.core.port.in.ManageMagicLinksUseCase;
import io.granary.core.service.CredentialRefresher;
import io.granary.core.service.CredentialService;
import io.granary.core.service.MagicLinkService;
import io.granary.core.service.ProviderRegistry;
import io.granary.core.service.RefreshListener;
import io.granary.core.service.RefreshPolicy;
import io.granary.core.testing.TestOAuthProvider;
import io.granary.spi.JdkProviderHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leaf's {@code POST /magic-link/provider} ("Create (with auto Leaf user)", https://docs.withleaf.io/api-reference/magic-link):
 * the real service over a real SQLite file.
 */
final class MagicLinkWithUserTest {

    @TempDir
    Path dir;
    private SqliteStorage storage;
    private ManageMagicLinksUseCase links;
    private ApiOwner owner;

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(dir.resolve("g.db"), Fixtures.sealer("k1"));
        owner = Fixtures.insertOwner(storage);
        Clock clock = Clock.systemUTC();
        ProviderRegistry registry = ProviderRegistry.of(List.of(new TestOAuthProvider()), Map.<String, String>of()::get);
        JdkProviderHttp http = new JdkProviderHttp(Duration.ofSeconds(2), Duration.ofSeconds(5));
        CredentialRefresher refresher = new CredentialRefresher(registry, storage.credentials(), storage.events(), http,
                RefreshPolicy.defaults(), clock, "test", RefreshListener.NONE);
        CredentialService credentials = new CredentialService(registry, storage.users(), storage.credentials(),
                storage.events(), refresher, () -> { }, clock);
        links = new MagicLinkService(registry, storage.appKeys(), storage.magicLinks(), storage.users(), storage.credentials(),
                credentials, http, clock, "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8), "https://granary.example").owners();
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private MagicLink createWithUser(UUID ownerId, Map<String, Object> body) {
        return links.createWithUser(ownerId, MagicLinkForUserCommand.fromJson(body));
    }

    private static Map<String, Object> body(Object... members) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < members.length; i += 2) {
            body.put((String) members[i], members[i + 1]);
        }
        return body;
    }

    private List<LeafUser> usersWith(String externalId) {
        return storage.users().list(owner.id(), new UserFilter(null, null, externalId), new PageRequest(0, 10, true)).items();
    }

    @Test
    void createsTheUserFromNameEmailExternalId_thenReusesIt() {
        MagicLink first = createWithUser(owner.id(), body("name", "Ana", "email", "ana@farm.example",
                "externalId", "grower-17", "expiresIn", 3600, "settings", Map.of("companyName", "Acme")));
        List<LeafUser> created = usersWith("grower-17");
        assertEquals(1, created.size());
        assertEquals("Ana", created.get(0).name());
        assertEquals("ana@farm.example", created.get(0).email());
        assertEquals(created.get(0).id(), first.leafUserId());
        assertEquals(Duration.ofSeconds(3600), Duration.between(first.createdAt(), first.expiresAt()));
        assertEquals("Acme", first.settings().companyName());

        MagicLink second = createWithUser(owner.id(), body("name", "Other name", "externalId", "grower-17"));
        assertEquals(first.leafUserId(), second.leafUserId());
        assertNotEquals(first.id(), second.id());
        assertEquals("Ana", usersWith("grower-17").get(0).name(), "reused as is");

        // Another owner's user with the same externalId is never reused.
        ApiOwner other = Fixtures.insertOwner(storage);
        assertNotEquals(first.leafUserId(), createWithUser(other.id(), body("externalId", "grower-17")).leafUserId());
    }

    @Test
    void badInput_isRefused_andCreatesNoUser() {
        for (Map<String, Object> bad : List.of(body("name", "Ana"), body("externalId", " "), body("externalId", 17),
                body("externalId", "g-1", "expiresIn", 899), body("externalId", "g-1", "expiresIn", 366L * 24 * 3600 + 1),
                body("externalId", "g-1", "email", "not-an-email"), body("externalId", "g-1", "allowedProviders", "TestOAuth"),
                body("externalId", "g-1", "settings", "x"))) {
            assertThrows(InvalidInputException.class, () -> createWithUser(owner.id(), bad), bad.toString());
        }
        assertEquals(List.of(), usersWith("g-1"));
        assertEquals(List.of(), links.list(owner.id()));
    }
}
