package io.granary.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.AppKey;
import io.granary.core.domain.Credential;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.MagicLink;
import io.granary.core.port.in.ConnectProvidersUseCase.LinkPage;
import io.granary.core.port.in.ConnectProvidersUseCase.LinkUnavailableException;
import io.granary.core.port.in.ConnectProvidersUseCase.Outcome;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.MagicLinkCommand;
import io.granary.core.testing.CoreFixture;
import io.granary.core.testing.TestOAuthProvider;
import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.spi.JdkProviderHttp;
import io.granary.testkit.FakeTokenServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The grower's side of a magic link over the in-memory stores, with the code exchange going over real HTTP to the
 * test kit's {@link FakeTokenServer} (which checks the client's Basic auth and the PKCE verifier).
 */
final class ProviderConnectServiceTest {

    private static final String PROVIDER = "TestOAuth";
    private static final String NONCE = "browser-nonce-1";

    private final FakeTokenServer server = startServer();
    private final CoreFixture core = CoreFixture.with(List.of(new TestOAuthProvider()), Map.of(
            new TestOAuthProvider().descriptor().endpointSetting(EndpointKind.TOKEN_URL, Environment.PRODUCTION), server.tokenUrl()));
    private final MagicLinkKeys keys = new MagicLinkKeys(MagicLinkAdminServiceTest.KEY, "https://granary.example");
    private final JdkProviderHttp http = new JdkProviderHttp(Duration.ofSeconds(2), Duration.ofSeconds(5));
    private final MagicLinkAdminService admin = new MagicLinkAdminService(core.providers, core.stores.magicLinks(),
            core.stores.users(), http, core.clock, keys);
    private final ProviderConnectService connect = new ProviderConnectService(core.providers, core.stores.appKeys(),
            core.stores.magicLinks(), core.stores.users(), core.stores.credentials(), core.credentials, http, core.clock, keys);
    private final UUID owner = core.addOwner("owner@farm.example", "a long enough password 1").id();
    private final LeafUser grower = new LeafUser(UUID.randomUUID(), owner, "Ana", null, null, null, null,
            core.clock.instant(), core.clock.instant());

    ProviderConnectServiceTest() {
        core.stores.users().insert(grower);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static FakeTokenServer startServer() {
        try {
            return new FakeTokenServer(2);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void addAppKey() {
        core.stores.appKeys().insert(new AppKey(owner, PROVIDER, "app", Environment.PRODUCTION,
                Map.of("clientId", FakeTokenServer.CLIENT_ID, "clientSecret", FakeTokenServer.CLIENT_SECRET), List.of(),
                core.clock.instant(), core.clock.instant()));
    }

    private String newLink(Map<String, Object> settings) {
        MagicLink link = admin.create(owner, grower.id(), MagicLinkCommand.fromJson(Map.of("settings", settings)));
        return keys.token(link.id());
    }

    private static Map<String, String> query(String url) {
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return query;
    }

    private Optional<Credential> credential() {
        return core.stores.credentials().find(owner, grower.id(), PROVIDER);
    }

    @Test
    void open_showsTheProvidersAndSettings_andCountsTheUse_viewDoesNot() {
        String token = newLink(Map.of("companyName", "Acme", "showLeafUserName", true));
        LinkPage page = connect.open(token);
        assertEquals("Acme", page.companyName());
        assertEquals("Ana", page.leafUserName());
        assertEquals(1, page.providers().size());
        assertFalse(page.providers().get(0).ready(), "no app key yet");
        assertNull(page.providers().get(0).status());
        connect.view(token);
        UUID id = keys.idOf(token).orElseThrow();
        assertEquals(1, core.stores.magicLinks().findById(id).orElseThrow().usageCount());
    }

    @Test
    void open_refusesUnknownTamperedAndDeletedLinks() {
        String token = newLink(Map.of());
        assertThrows(LinkUnavailableException.class, () -> connect.open("nonsense"));
        assertThrows(LinkUnavailableException.class, () -> connect.open(keys.token(UUID.randomUUID())));
        assertThrows(LinkUnavailableException.class, () -> connect.open(token.substring(0, token.length() - 2) + "zz"));
        admin.delete(owner, keys.idOf(token).orElseThrow());
        assertThrows(LinkUnavailableException.class, () -> connect.open(token));
    }

    @Test
    void connect_withoutAnAppKey_orForAProviderTheLinkDoesNotOffer_isRefused() {
        String token = newLink(Map.of());
        assertEquals("provider", assertThrows(InvalidInputException.class, () -> connect.connect(token, PROVIDER, NONCE)).field());
        addAppKey();
        assertEquals("provider", assertThrows(InvalidInputException.class, () -> connect.connect(token, "Other", NONCE)).field());
    }

    @Test
    void consent_exchangesTheCodeWithPkce_attachesTheCredential_andTheStateWorksOnce() {
        addAppKey();
        String token = newLink(Map.of());
        Map<String, String> query = query(connect.connect(token, PROVIDER, NONCE));
        assertEquals(FakeTokenServer.CLIENT_ID, query.get("client_id"));
        assertEquals("https://granary.example/services/widgets/callback", query.get("redirect_uri"));
        String state = query.get("state");
        // TestOAuthProvider does not accept PKCE, so the server gets no challenge to check against.
        String code = server.newCode(query.get("code_challenge"));

        Outcome done = connect.callback(state, NONCE, code, null);
        assertTrue(done.success(), done.message());
        assertEquals(token, done.token());
        Credential attached = credential().orElseThrow();
        assertEquals(server.currentRefreshToken(attached.field("refreshToken")), attached.field("refreshToken"));
        assertEquals(FakeTokenServer.CLIENT_ID, attached.field("clientId"));

        Outcome again = connect.callback(state, NONCE, code, null);
        assertFalse(again.success());
        assertTrue(again.message().contains("already completed"), again.message());
        assertEquals("TestOAuth", connect.view(token).providers().get(0).providerId());
        assertTrue(connect.view(token).providers().get(0).ready());
    }

    @Test
    void consent_withAPkceProvider_sendsAChallenge_andTheCallbackProvesTheVerifier() {
        AuthorizationCodeGrantTest.PkceProvider pkce = new AuthorizationCodeGrantTest.PkceProvider(null);
        CoreFixture withPkce = CoreFixture.with(List.of(pkce), Map.of(
                pkce.descriptor().endpointSetting(EndpointKind.TOKEN_URL, Environment.PRODUCTION), server.tokenUrl()));
        UUID pkceOwner = withPkce.addOwner("pkce@farm.example", "a long enough password 3").id();
        LeafUser user = new LeafUser(UUID.randomUUID(), pkceOwner, "Bo", null, null, null, null, withPkce.clock.instant(), withPkce.clock.instant());
        withPkce.stores.users().insert(user);
        withPkce.stores.appKeys().insert(new AppKey(pkceOwner, "PkceTest", "app", Environment.PRODUCTION,
                Map.of("clientId", FakeTokenServer.CLIENT_ID, "clientSecret", FakeTokenServer.CLIENT_SECRET), List.of(),
                withPkce.clock.instant(), withPkce.clock.instant()));
        MagicLinkAdminService pkceAdmin = new MagicLinkAdminService(withPkce.providers, withPkce.stores.magicLinks(),
                withPkce.stores.users(), http, withPkce.clock, keys);
        ProviderConnectService pkceConnect = new ProviderConnectService(withPkce.providers, withPkce.stores.appKeys(),
                withPkce.stores.magicLinks(), withPkce.stores.users(), withPkce.stores.credentials(), withPkce.credentials,
                http, withPkce.clock, keys);
        String token = keys.token(pkceAdmin.create(pkceOwner, user.id(), MagicLinkCommand.defaults()).id());

        Map<String, String> query = query(pkceConnect.connect(token, "PkceTest", NONCE));
        assertEquals("S256", query.get("code_challenge_method"));
        // The server accepts the code only with the verifier whose S256 hash is this challenge.
        Outcome done = pkceConnect.callback(query.get("state"), NONCE, server.newCode(query.get("code_challenge")), null);
        assertTrue(done.success(), done.message());
        assertTrue(withPkce.stores.credentials().find(pkceOwner, user.id(), "PkceTest").isPresent());
    }

    @Test
    void callback_fromAnotherBrowser_orADeclinedConsent_orARefusedCode_connectsNothing() {
        addAppKey();
        String token = newLink(Map.of());
        String state = query(connect.connect(token, PROVIDER, NONCE)).get("state");
        Outcome otherBrowser = connect.callback(state, "another-nonce", server.newCode(null), null);
        assertTrue(otherBrowser.message().contains("another browser"), otherBrowser.message());

        String declinedState = query(connect.connect(token, PROVIDER, NONCE)).get("state");
        Outcome declined = connect.callback(declinedState, NONCE, null, "access_denied");
        assertEquals("You declined access at Test OAuth. Nothing was connected.", declined.message());

        String refusedState = query(connect.connect(token, PROVIDER, NONCE)).get("state");
        Outcome refused = connect.callback(refusedState, NONCE, "a-code-the-server-never-issued", null);
        assertEquals("Test OAuth did not accept the sign-in. Please try again.", refused.message());

        assertFalse(otherBrowser.success() || declined.success() || refused.success());
        assertTrue(credential().isEmpty());
    }

    @Test
    void callback_withoutState_saysSo() {
        assertFalse(connect.callback(null, NONCE, "c", null).success());
        assertTrue(connect.callback("unknown-state", NONCE, "c", null).message().contains("already completed"));
    }

    @Test
    void disconnect_onlyWhenTheLinkAllowsIt_andTwiceIsHarmless() {
        addAppKey();
        String locked = newLink(Map.of());
        assertThrows(InvalidInputException.class, () -> connect.disconnect(locked, PROVIDER));

        String token = newLink(Map.of("disconnectEnabled", true));
        String state = query(connect.connect(token, PROVIDER, NONCE)).get("state");
        assertTrue(connect.callback(state, NONCE, server.newCode(null), null).success());
        assertTrue(credential().isPresent());
        connect.disconnect(token, PROVIDER);
        connect.disconnect(token, PROVIDER);
        assertTrue(credential().isEmpty());
    }
}
