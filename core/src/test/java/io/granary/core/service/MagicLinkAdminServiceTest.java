package io.granary.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.LeafUser;
import io.granary.core.domain.MagicLink;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.MagicLinkCommand;
import io.granary.core.port.in.MagicLinkForUserCommand;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.testing.CoreFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The owner's side of magic links over the in-memory stores: checking, creating, listing, deleting. */
final class MagicLinkAdminServiceTest {

    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    private final CoreFixture core = CoreFixture.create();
    private final MagicLinkKeys keys = new MagicLinkKeys(KEY, "https://granary.example/");
    private final MagicLinkAdminService links = new MagicLinkAdminService(core.providers, core.stores.magicLinks(),
            core.stores.users(), null, core.clock, keys);
    private final UUID owner = core.addOwner("owner@farm.example", "a long enough password 1").id();
    private final LeafUser grower = addUser(owner, "Ana", null);

    private LeafUser addUser(UUID ownerId, String name, String externalId) {
        LeafUser user = new LeafUser(UUID.randomUUID(), ownerId, name, null, null, null, externalId,
                core.clock.instant(), core.clock.instant());
        core.stores.users().insert(user);
        return user;
    }

    /** As the HTTP adapter does: the command from the parsed JSON body, then the use case. */
    private MagicLink create(UUID ownerId, UUID userId, Map<String, Object> body) {
        return links.create(ownerId, userId, MagicLinkCommand.fromJson(body));
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

    @Test
    void create_withAnEmptyBody_usesTheDefaults_andTheLinkCarriesAVerifiableToken() {
        MagicLink link = create(owner, grower.id(), Map.of());
        assertEquals(List.of("TestOAuth"), link.allowedProviders(), "every provider a grower can connect by consent");
        assertEquals(Duration.ofSeconds(MagicLinkCommand.MIN_EXPIRES_IN), Duration.between(link.createdAt(), link.expiresAt()));
        assertNull(link.maxUsage());
        assertEquals(link, links.get(owner, link.id()));
        String url = links.link(link);
        assertEquals("https://granary.example/services/widgets/magic-link?t=" + keys.token(link.id()), url);
        assertEquals(link.id(), keys.idOf(url.substring(url.indexOf("t=") + 2)).orElseThrow());
    }

    @Test
    void create_keepsTheSettings_andNormalisesProviderNames() {
        MagicLink link = create(owner, grower.id(), body("expiresIn", 3600, "maxUsage", 2,
                "allowedProviders", List.of("testoauth", "TestOAuth"), "settings", Map.of("companyName", "Acme",
                        "backgroundColor", "#1f6f43", "companyLogo", "https://cdn.example/logo.png", "disconnectEnabled", true)));
        assertEquals(List.of("TestOAuth"), link.allowedProviders());
        assertEquals(Integer.valueOf(2), link.maxUsage());
        assertEquals("Acme", link.settings().companyName());
        assertEquals("#1f6f43", link.settings().backgroundColor());
        assertEquals("https://cdn.example/logo.png", link.settings().companyLogo());
        assertTrue(link.settings().disconnectEnabled());
    }

    @Test
    void create_refusesEachBadMember_namingIt_andStoresNothing() {
        Map<String, Map<String, Object>> cases = Map.of(
                "expiresIn", body("expiresIn", 10),
                "maxUsage", body("maxUsage", 0),
                "allowedProviders", body("allowedProviders", List.of("NoSuchProvider")),
                "settings", body("settings", Map.of("font", "serif")),
                "settings.backgroundColor", body("settings", Map.of("backgroundColor", "red;}")),
                "settings.headerImage", body("settings", Map.of("headerImage", "javascript:alert(1)")),
                "settings.disconnectEnabled", body("settings", Map.of("disconnectEnabled", "yes")));
        cases.forEach((field, bad) -> {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> create(owner, grower.id(), bad), field);
            assertEquals(field, e.field());
        });
        assertEquals(List.of(), links.list(owner));
    }

    @Test
    void create_forAnotherOwnersUser_isNotFound() {
        UUID stranger = core.addOwner("other@farm.example", "a long enough password 2").id();
        assertThrows(NotFoundException.class, () -> create(stranger, grower.id(), Map.of()));
        assertEquals(List.of(), links.list(stranger));
    }

    @Test
    void getAndDelete_refuseAnotherOwnersLink_andDeleteRemovesIt() {
        MagicLink link = create(owner, grower.id(), Map.of());
        UUID stranger = core.addOwner("other@farm.example", "a long enough password 2").id();
        assertThrows(NotFoundException.class, () -> links.get(stranger, link.id()));
        assertThrows(NotFoundException.class, () -> links.delete(stranger, link.id()));
        assertEquals(List.of(link), links.list(owner));
        links.delete(owner, link.id());
        assertThrows(NotFoundException.class, () -> links.get(owner, link.id()));
        assertThrows(NotFoundException.class, () -> links.delete(owner, link.id()));
    }

    @Test
    void createWithUser_reusesTheUserWithThatExternalId_orCreatesOne() {
        LeafUser existing = addUser(owner, "Existing", "grower-17");
        assertEquals(existing.id(), createWithUser(owner, body("externalId", "grower-17", "name", "Ignored")).leafUserId());
        MagicLink fresh = createWithUser(owner, body("externalId", "grower-18", "name", "Bo"));
        assertEquals("Bo", core.stores.users().find(owner, fresh.leafUserId()).orElseThrow().name());
    }

    @Test
    void createWithUser_checksEverythingBeforeCreatingTheUser() {
        assertEquals("externalId", assertThrows(InvalidInputException.class,
                () -> createWithUser(owner, body("name", "Bo"))).field());
        assertEquals("expiresIn", assertThrows(InvalidInputException.class,
                () -> createWithUser(owner, body("externalId", "grower-19", "expiresIn", 1.5))).field());
        assertEquals(List.of(), core.stores.users().list(owner, new UserFilter(null, null, "grower-19"),
                new PageRequest(0, 10, true)).items());
        assertEquals(List.of(), links.list(owner));
    }

    @Test
    void keys_refuseAShortKey_andATamperedToken() {
        assertThrows(IllegalArgumentException.class, () -> new MagicLinkKeys(new byte[31], "https://g.example"));
        UUID id = UUID.randomUUID();
        String token = keys.token(id);
        String tampered = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        assertTrue(keys.idOf(tampered).isEmpty());
        assertTrue(new MagicLinkKeys("another key, also thirty-two bytes".getBytes(StandardCharsets.UTF_8), "https://g.example")
                .idOf(token).isEmpty(), "a token made with another key");
    }
}
